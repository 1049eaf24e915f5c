/* shared_map.h - the response cache every request handler shares.
 *
 * Maps a request path to its rendered response.  Keys are shorter than
 * CACHE_KEY_MAX bytes and values shorter than CACHE_VAL_MAX bytes (NUL
 * included); entries are never removed.
 */
#ifndef SHARED_MAP_H
#define SHARED_MAP_H

#define CACHE_KEY_MAX 32
#define CACHE_VAL_MAX 32

/* Stores val under key, replacing any older value.  Returns 0, or -1 when
 * a string is too long or memory ran out. */
int cache_put(const char *key, const char *val);

/* Copies the value stored under key into out; returns 1, or 0 if absent. */
int cache_get(const char *key, char out[CACHE_VAL_MAX]);

/* Number of keys stored. */
long cache_size(void);

#endif
