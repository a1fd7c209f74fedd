/* The load client's subscriber worker for Benchmarks/HubLoad/hub_load.py: many raw websocket
 * subscribers on one epoll loop, compiled (cc -O2) so that the client costs little beside the
 * server under test.
 *
 *   subscribers winnow|nats PORT MARKERS_EXPECTED POPULATION_FILE
 *
 * POPULATION_FILE holds one block per subscriber, its lines separated by "\n" and the blocks
 * by an empty line: for winnow the specifiers to register (one masked `register SPEC` text
 * frame each), for nats the subjects to subscribe (one CONNECT, one SUB per subject and a
 * PING, in one masked binary frame).
 *
 * Talks to the parent on stdin/stdout, line by line, as the Python worker does on its pipe:
 *   -> "registered ACKS"                when every subscriber is registered (winnow: all acks,
 *                                       nats: the PONG to the PING after the SUBs)
 *   <- "go"                             publishing starts (CPU is counted from here)
 *   -> "done FRAMES CPU_SECONDS MARKERS ERRORS" then MARKERS lines "NUMBER TIME" and ERRORS
 *      lines of text, once every subscriber has MARKERS_EXPECTED markers or on "stop"
 *   <- "leave"                          exit (until then the sockets stay open and are read)
 *
 * A winnow frame is an acknowledgement when it starts `{"Time"` and names `"Type":"websocket"`
 * in its first 80 bytes, a marker when it starts `{"Type":"bench"` (its Key is the marker's
 * number), any other text frame an event. A nats MSG on `bench.marker.N` is marker N. Pings
 * are answered with pongs (websocket and NATS). TIME is the wall clock (seconds since the
 * epoch) when the read that completed the marker returned. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  unsigned char *data;
  size_t length, capacity;
} Buffer;

typedef struct {
  long number;
  double time;
} Marker;

typedef struct {
  int fd;
  Buffer in;     /* bytes read, not yet a whole frame */
  Buffer stream; /* nats: the payload bytes of the frames, not yet a whole line/message */
  long frames, acks, acks_expected, pongs, markers;
  int closed; /* the server closed the connection */
} Subscriber;

static int nats;
static Marker *marker_log;
static size_t marker_count, marker_capacity;
static char *errors[5];
static int error_count;

static void fail(const char *what) {
  fprintf(stderr, "subscribers: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void reserve(Buffer *buffer, size_t more) {
  if (buffer->length + more <= buffer->capacity) return;
  size_t capacity = buffer->capacity ? buffer->capacity : 4096;
  while (capacity < buffer->length + more) capacity *= 2;
  buffer->data = realloc(buffer->data, capacity);
  if (!buffer->data) fail("realloc");
  buffer->capacity = capacity;
}

static void append(Buffer *buffer, const void *bytes, size_t length) {
  reserve(buffer, length);
  memcpy(buffer->data + buffer->length, bytes, length);
  buffer->length += length;
}

static void consume(Buffer *buffer, size_t count) {
  memmove(buffer->data, buffer->data + count, buffer->length - count);
  buffer->length -= count;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu_seconds(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
         usage.ru_stime.tv_usec / 1e6;
}

/* Appends a masked client frame (RFC 6455 section 5.3) of `payload`. */
static void masked_frame(Buffer *out, int opcode, const unsigned char *payload, size_t length) {
  unsigned char header[14];
  size_t n = 0;
  header[n++] = 0x80 | opcode;
  if (length < 126) {
    header[n++] = 0x80 | length;
  } else if (length < 65536) {
    header[n++] = 0x80 | 126;
    header[n++] = length >> 8;
    header[n++] = length & 0xFF;
  } else {
    header[n++] = 0x80 | 127;
    for (int i = 7; i >= 0; i--) header[n++] = (length >> (8 * i)) & 0xFF;
  }
  uint32_t key = (uint32_t)random();
  unsigned char mask[4] = {key >> 24, key >> 16, key >> 8, key};
  memcpy(header + n, mask, 4);
  n += 4;
  append(out, header, n);
  reserve(out, length);
  for (size_t i = 0; i < length; i++) out->data[out->length + i] = payload[i] ^ mask[i & 3];
  out->length += length;
}

static void send_all(int fd, const unsigned char *bytes, size_t length) {
  while (length > 0) {
    ssize_t sent = send(fd, bytes, length, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        struct pollfd p = {fd, POLLOUT, 0};
        poll(&p, 1, 1000);
        continue;
      }
      fail("send");
    }
    bytes += sent;
    length -= (size_t)sent;
  }
}

static void send_frame(Subscriber *s, int opcode, const unsigned char *payload, size_t length) {
  Buffer out = {0};
  masked_frame(&out, opcode, payload, length);
  send_all(s->fd, out.data, out.length);
  free(out.data);
}

/* Connects to 127.0.0.1:port and upgrades `path` to a websocket; leftover bytes go to `in`. */
static int upgrade(int port, const char *path, Buffer *in) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) fail("socket");
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&address, sizeof address) < 0) fail("connect");
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  char request[512];
  unsigned char nonce[16];
  for (int i = 0; i < 16; i++) nonce[i] = random() & 0xFF;
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char key[25];
  for (int i = 0, j = 0; i < 16; i += 3) {
    uint32_t v = nonce[i] << 16 | (i + 1 < 16 ? nonce[i + 1] << 8 : 0) | (i + 2 < 16 ? nonce[i + 2] : 0);
    key[j++] = alphabet[(v >> 18) & 63];
    key[j++] = alphabet[(v >> 12) & 63];
    key[j++] = i + 1 < 16 ? alphabet[(v >> 6) & 63] : '=';
    key[j++] = i + 2 < 16 ? alphabet[v & 63] : '=';
  }
  key[24] = 0;
  int n = snprintf(request, sizeof request,
                   "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
                   path, port, key);
  send_all(fd, (unsigned char *)request, n);
  Buffer head = {0};
  unsigned char *end = NULL;
  while (!end) {
    reserve(&head, 4096);
    ssize_t got = recv(fd, head.data + head.length, 4096, 0);
    if (got <= 0) fail("upgrade response");
    head.length += got;
    end = memmem(head.data, head.length, "\r\n\r\n", 4);
  }
  if (head.length < 12 || memcmp(head.data, "HTTP/1.1 101", 12) != 0) {
    fprintf(stderr, "subscribers: upgrade refused: %.*s\n", (int)(head.length < 100 ? head.length : 100),
            head.data);
    exit(1);
  }
  size_t rest = head.length - (size_t)(end + 4 - head.data);
  append(in, end + 4, rest);
  free(head.data);
  return fd;
}

static void note_marker(long number, double time) {
  if (marker_count == marker_capacity) {
    marker_capacity = marker_capacity ? marker_capacity * 2 : 1024;
    marker_log = realloc(marker_log, marker_capacity * sizeof *marker_log);
    if (!marker_log) fail("realloc");
  }
  marker_log[marker_count++] = (Marker){number, time};
}

static int starts(const unsigned char *bytes, size_t length, const char *prefix) {
  size_t n = strlen(prefix);
  return length >= n && memcmp(bytes, prefix, n) == 0;
}

static void winnow_frame(Subscriber *s, const unsigned char *p, size_t length, double time) {
  if (starts(p, length, "{\"Time\"")) {
    size_t window = length < 80 ? length : 80;
    if (memmem(p, window, "\"Type\":\"websocket\"", 18)) s->acks++;
    else s->frames++;
  } else if (starts(p, length, "{\"Type\":\"bench\"")) {
    const unsigned char *key = memmem(p, length, "\"Key\":\"", 7);
    note_marker(key ? strtol((const char *)key + 7, NULL, 10) : -1, time);
    s->markers++;
  } else {
    s->frames++;
  }
}

static void nats_stream(Subscriber *s, double time) {
  Buffer *stream = &s->stream;
  size_t position = 0;
  while (1) {
    unsigned char *line = stream->data + position;
    size_t available = stream->length - position;
    unsigned char *eol = memmem(line, available, "\r\n", 2);
    if (!eol) break;
    size_t line_length = (size_t)(eol - line);
    if (starts(line, line_length, "MSG ")) {
      /* MSG SUBJECT SID [REPLY] LENGTH */
      const unsigned char *last = line + line_length;
      while (last > line && last[-1] != ' ') last--;
      long length = strtol((const char *)last, NULL, 10);
      if (available < line_length + 2 + (size_t)length + 2) break;
      const unsigned char *subject = line + 4;
      if (starts(subject, line_length - 4, "bench.marker.")) {
        note_marker(strtol((const char *)subject + 13, NULL, 10), time);
        s->markers++;
      } else {
        s->frames++;
      }
      position += line_length + 2 + (size_t)length + 2;
      continue;
    }
    if (line_length == 4 && memcmp(line, "PING", 4) == 0) {
      send_frame(s, 0x2, (const unsigned char *)"PONG\r\n", 6);
    } else if (line_length == 4 && memcmp(line, "PONG", 4) == 0) {
      s->pongs++;
    } else if (starts(line, line_length, "-ERR") && error_count < 5) {
      errors[error_count++] = strndup((const char *)line, line_length);
    }
    position += line_length + 2;
  }
  consume(stream, position);
}

/* Handles every whole frame in the subscriber's input. */
static void parse(Subscriber *s, double time) {
  Buffer *in = &s->in;
  size_t position = 0;
  int streamed = 0;
  while (in->length - position >= 2) {
    const unsigned char *p = in->data + position;
    size_t available = in->length - position;
    int opcode = p[0] & 0x0F;
    uint64_t length = p[1] & 0x7F;
    size_t header = 2;
    if (length == 126) {
      if (available < 4) break;
      length = (uint64_t)p[2] << 8 | p[3];
      header = 4;
    } else if (length == 127) {
      if (available < 10) break;
      length = 0;
      for (int i = 0; i < 8; i++) length = length << 8 | p[2 + i];
      header = 10;
    }
    if (available - header < length) break;
    const unsigned char *payload = p + header;
    if (opcode == 9) {
      send_frame(s, 0xA, payload, length);
    } else if (nats) {
      if (opcode <= 2) {
        append(&s->stream, payload, length);
        streamed = 1;
      }
    } else if (opcode == 1) {
      winnow_frame(s, payload, length, time);
    }
    position += header + length;
  }
  consume(in, position);
  if (streamed) nats_stream(s, time);
}

static int registered(const Subscriber *s) {
  return nats ? s->pongs >= 1 : s->acks >= s->acks_expected;
}

static Subscriber *subscribers;
static size_t subscriber_count;
static int epoll_fd;

/* Waits up to `timeout` ms and reads what arrived. */
static void pump(int timeout) {
  struct epoll_event events[256];
  int ready = epoll_wait(epoll_fd, events, 256, timeout);
  if (ready < 0) {
    if (errno == EINTR) return;
    fail("epoll_wait");
  }
  double time = now();
  for (int i = 0; i < ready; i++) {
    Subscriber *s = events[i].data.ptr;
    reserve(&s->in, 1 << 16);
    ssize_t got = recv(s->fd, s->in.data + s->in.length, s->in.capacity - s->in.length, 0);
    if (got > 0) {
      s->in.length += got;
      parse(s, time);
    } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
      epoll_ctl(epoll_fd, EPOLL_CTL_DEL, s->fd, NULL);
      s->closed = 1;
      if (error_count < 5) errors[error_count++] = strdup("server closed a subscriber");
    }
  }
}

/* The parent's next command if one is waiting ("" otherwise). */
static const char *command(void) {
  static char line[64];
  struct pollfd p = {0, POLLIN, 0};
  if (poll(&p, 1, 0) <= 0) return "";
  if (!fgets(line, sizeof line, stdin)) return "leave";
  line[strcspn(line, "\n")] = 0;
  return line;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: subscribers winnow|nats PORT MARKERS_EXPECTED POPULATION_FILE\n");
    return 2;
  }
  nats = strcmp(argv[1], "nats") == 0;
  int port = atoi(argv[2]);
  long markers_expected = atol(argv[3]);
  srandom((unsigned)getpid() ^ (unsigned)time(NULL));
  setvbuf(stdin, NULL, _IONBF, 0);

  FILE *file = fopen(argv[4], "r");
  if (!file) fail(argv[4]);
  epoll_fd = epoll_create1(0);
  size_t capacity = 0;
  char *line = NULL;
  size_t line_capacity = 0;
  Buffer out = {0};
  int open_block = 0;
  /* Each block: collect its commands in `out`, then connect and send them. */
  for (;;) {
    ssize_t length = getline(&line, &line_capacity, file);
    int end_of_block = length <= 0 || line[0] == '\n';
    if (!end_of_block) {
      if (line[length - 1] == '\n') line[--length] = 0;
      if (!open_block) {
        if (subscriber_count == capacity) {
          capacity = capacity ? capacity * 2 : 256;
          subscribers = realloc(subscribers, capacity * sizeof *subscribers);
        }
        memset(&subscribers[subscriber_count], 0, sizeof *subscribers);
        out.length = 0;
        if (nats) {
          const char *connect =
              "CONNECT {\"verbose\":false,\"pedantic\":false,\"protocol\":1,\"lang\":\"c\",\"version\":\"0\"}\r\n";
          append(&out, connect, strlen(connect));
        }
        open_block = 1;
      }
      Subscriber *s = &subscribers[subscriber_count];
      if (nats) {
        char sub[600];
        int n = snprintf(sub, sizeof sub, "SUB %s %ld\r\n", line, ++s->acks_expected);
        append(&out, sub, n);
      } else {
        char frame[4200];
        int n = snprintf(frame, sizeof frame, "register %s", line);
        masked_frame(&out, 0x1, (unsigned char *)frame, n);
        s->acks_expected++;
      }
    } else if (open_block) {
      Subscriber *s = &subscribers[subscriber_count++];
      s->fd = upgrade(port, nats ? "/" : "/api/v3/ws", &s->in);
      if (nats) {
        append(&out, "PING\r\n", 6);
        Buffer frame = {0};
        masked_frame(&frame, 0x2, out.data, out.length);
        send_all(s->fd, frame.data, frame.length);
        free(frame.data);
      } else {
        send_all(s->fd, out.data, out.length);
      }
      fcntl(s->fd, F_SETFL, fcntl(s->fd, F_GETFL) | O_NONBLOCK);
      open_block = 0;
    }
    if (length <= 0) break;
  }
  fclose(file);
  for (size_t i = 0; i < subscriber_count; i++) {
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = &subscribers[i]};
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, subscribers[i].fd, &event) < 0) fail("epoll_ctl");
    parse(&subscribers[i], now()); /* bytes that came with the upgrade response */
  }

  for (;;) {
    size_t done = 0;
    for (size_t i = 0; i < subscriber_count; i++) {
      if (subscribers[i].closed) {
        fprintf(stderr, "subscribers: the server closed subscriber %zu before it registered\n", i);
        return 1;
      }
      done += registered(&subscribers[i]);
    }
    if (done == subscriber_count) break;
    pump(50);
  }
  long acks = 0;
  for (size_t i = 0; i < subscriber_count; i++) acks += subscribers[i].acks;
  printf("registered %ld\n", acks);
  fflush(stdout);

  const char *said;
  while (!*(said = command())) pump(50);
  if (strcmp(said, "go") != 0) return 0;
  double cpu0 = cpu_seconds();
  for (;;) {
    pump(20);
    size_t complete = 0;
    for (size_t i = 0; i < subscriber_count; i++) complete += subscribers[i].markers >= markers_expected;
    if (complete == subscriber_count) break;
    if (*(said = command())) break; /* stop */
  }
  double cpu = cpu_seconds() - cpu0;
  long frames = 0;
  for (size_t i = 0; i < subscriber_count; i++) frames += subscribers[i].frames;
  printf("done %ld %.3f %zu %d\n", frames, cpu, marker_count, error_count);
  for (size_t i = 0; i < marker_count; i++) printf("%ld %.6f\n", marker_log[i].number, marker_log[i].time);
  for (int i = 0; i < error_count; i++) printf("%s\n", errors[i]);
  fflush(stdout);
  /* Stay connected until told to leave. */
  while (strcmp(command(), "leave") != 0) {
    if (feof(stdin)) break;
    pump(50);
  }
  return 0;
}
