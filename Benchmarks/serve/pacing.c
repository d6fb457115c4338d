/* Pacing error of `serve`, measured by a lean epoll client so that the client adds almost nothing.
 * N streaming chat requests (started --stagger-ms apart); for each: client TTFT (send -> first content delta)
 * minus the simulated TTFT that the server reports in the finish chunk (`"ttft_ms":`). It also prints how soon
 * the response head came (the request path alone) and how late the last token was (client E2E - `"e2e_ms":`).
 *
 *   cc -O2 -o /tmp/pacing Benchmarks/serve/pacing.c
 *   /tmp/pacing PORT STREAMS MAX_TOKENS STAGGER_MS [MODEL]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    int fd;
    double sent, head, first, last;
    char *data;
    size_t length, capacity;
    int done;
} Stream;

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: %s PORT STREAMS MAX_TOKENS STAGGER_MS [MODEL]\n", argv[0]); return 2; }
    int port = atoi(argv[1]), count = atoi(argv[2]), max_tokens = atoi(argv[3]);
    double stagger = atof(argv[4]);
    const char *model = argc > 5 ? argv[5] : "meta-llama/Llama-3.1-8B-Instruct";
    Stream *streams = calloc(count, sizeof(Stream));
    int epoll = epoll_create1(0);
    int started = 0, finished = 0, failed = 0;
    double begin = now_ms();
    struct epoll_event events[256];
    char buffer[65536];
    while (finished < count) {
        while (started < count && now_ms() >= begin + started * stagger) {
            Stream *s = &streams[started];
            s->fd = socket(AF_INET, SOCK_STREAM, 0);
            struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
            inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
            if (connect(s->fd, (struct sockaddr *)&address, sizeof address) != 0) { failed++; finished++; s->done = 1; started++; continue; }
            char body[512], request[1024];
            int body_length = snprintf(body, sizeof body,
                "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Request %d: tell me something\"}],\"max_tokens\":%d,\"stream\":true}",
                model, started, max_tokens);
            int length = snprintf(request, sizeof request,
                "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
                body_length, body);
            s->sent = now_ms();
            if (write(s->fd, request, length) != length) { failed++; finished++; s->done = 1; started++; continue; }
            struct epoll_event event = {.events = EPOLLIN, .data.u32 = (uint32_t)started};
            epoll_ctl(epoll, EPOLL_CTL_ADD, s->fd, &event);
            started++;
        }
        int ready = epoll_wait(epoll, events, 256, 1);
        for (int i = 0; i < ready; i++) {
            Stream *s = &streams[events[i].data.u32];
            ssize_t n = read(s->fd, buffer, sizeof buffer);
            if (n > 0) {
                if (s->head == 0) s->head = now_ms();
                if (s->length + n + 1 > s->capacity) {
                    s->capacity = (s->length + n + 1) * 2;
                    s->data = realloc(s->data, s->capacity);
                }
                memcpy(s->data + s->length, buffer, n);
                s->length += n;
                s->data[s->length] = 0;
                if (s->first == 0 && memmem(s->data, s->length, "\"content\":\" ", 12)) s->first = now_ms();
            }
            if (n <= 0 || (s->data && strstr(s->data, "[DONE]"))) {
                s->last = now_ms();
                epoll_ctl(epoll, EPOLL_CTL_DEL, s->fd, NULL);
                close(s->fd);
                s->done = 1;
                finished++;
            }
        }
    }
    double *errors = malloc(count * sizeof(double)), *heads = malloc(count * sizeof(double)), *lasts = malloc(count * sizeof(double));
    int ok = 0;
    double simulated_sum = 0;
    for (int i = 0; i < count; i++) {
        Stream *s = &streams[i];
        char *ttft = s->data ? strstr(s->data, "\"ttft_ms\":") : NULL;
        if (!ttft || s->first == 0 || !strstr(s->data, "[DONE]")) { failed += s->data ? 1 : 0; continue; }
        double simulated = atof(ttft + 10);
        char *e2e = strstr(s->data, "\"e2e_ms\":");
        heads[ok] = s->head - s->sent;
        lasts[ok] = e2e ? (s->last - s->sent) - atof(e2e + 9) : 0;
        simulated_sum += simulated;
        errors[ok++] = (s->first - s->sent) - simulated;
    }
    qsort(errors, ok, sizeof(double), compare);
    qsort(heads, ok, sizeof(double), compare);
    qsort(lasts, ok, sizeof(double), compare);
    if (ok > 0) {
        int p99 = (int)(0.99 * ok);
        if (p99 >= ok) p99 = ok - 1;
        printf("%d streams ok, %d failed; simulated TTFT mean %.1f ms; pacing error (client - simulated TTFT) p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
               ok, failed, simulated_sum / ok, errors[ok / 2], errors[p99], errors[ok - 1]);
        printf("  response head after p50 %.2f ms, p99 %.2f ms; last token late (client - simulated E2E) p50 %.2f ms, p99 %.2f ms\n",
               heads[ok / 2], heads[p99], lasts[ok / 2], lasts[p99]);
    } else {
        printf("0 streams ok, %d failed\n", failed);
    }
    return failed > 0;
}
