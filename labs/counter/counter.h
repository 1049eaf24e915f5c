/* counter.h - the request statistics behind the service's /status page.
 *
 * Every request handler calls count_request() once per response it sends;
 * the /status page reads the totals.
 */
#ifndef COUNTER_H
#define COUNTER_H

/* Records one response sent with this HTTP status (100..599). */
void count_request(int status);

/* Responses sent so far. */
long requests_served(void);

/* Responses sent whose status was in class cls: 2 for 2xx, ... 5 for 5xx. */
long requests_in_class(int cls);

#endif
