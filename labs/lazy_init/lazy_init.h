/* lazy_init.h - MIME types by file extension, for the static file handler.
 *
 * The lookup table is built the first time anyone asks, by whichever
 * handler thread asks first; it is never freed or changed after.
 */
#ifndef LAZY_INIT_H
#define LAZY_INIT_H

/* The MIME type served for a file extension ("html" -> "text/html"), or
 * "application/octet-stream" for one the table does not know, or NULL when
 * the table could not be built (out of memory).  The string lives in the
 * table: the same extension always gives the same pointer. */
const char *mime_type(const char *ext);

#endif
