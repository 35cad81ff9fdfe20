/* A tracee's socket seen from the supervisor: a duplicate of the descriptor
 * (pidfd_getfd) and what the kernel says it is. Decisions are made on the
 * socket's real family, never on the family field of an address the tracee
 * hands in (AF_UNSPEC is IPv4 to an IPv4 UDP socket's sendto). */
#ifndef FNG_SOCK_H
#define FNG_SOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

struct fng_sock {
	int fd;			/* our duplicate; -1 if none */
	int domain;		/* AF_INET, AF_INET6, ... ; -1 if not a socket */
	int type;		/* SOCK_STREAM, SOCK_DGRAM, SOCK_RAW ... */
	int protocol;		/* IPPROTO_TCP, ... (SO_PROTOCOL); -1 if unknown */
	bool nonblock;
};

/* 0, or -errno (EBADF: the kernel will answer the call itself). */
int fng_sock_get(pid_t tgid, int tfd, struct fng_sock *s);
void fng_sock_put(struct fng_sock *s);
/* A socket put when its variable goes out of scope (common/util.h's autoclose
 * for a struct fng_sock; start it as { .fd = -1 }). */
#define autosock __attribute__((cleanup(fng_sock_put)))

static inline bool fng_sock_inet(const struct fng_sock *s)
{
	return s->domain == AF_INET || s->domain == AF_INET6;
}

/* A destination as the kernel will read it for this socket. */
struct fng_dest {
	bool inet;
	uint8_t addr[16];
	uint16_t port;
};
void fng_sock_decode(const struct fng_sock *s, const struct sockaddr_storage *ss, socklen_t len,
		     struct fng_dest *out);
const char *fng_sock_protocol(const struct fng_sock *s);
/* Does a connect on this socket, once started, ignore the address of a
 * later connect until it ends (TCP: inet_stream_connect waits for the
 * handshake under way)? */
bool fng_sock_connect_sticks(const struct fng_sock *s);
/* Connect our duplicate to a without waiting, whatever the tracee's file
 * flags say (they are restored): 0 when connected, or -errno (-EINPROGRESS:
 * the handshake goes on in the kernel). */
int fng_sock_connect_nowait(const struct fng_sock *s, const struct sockaddr *a, socklen_t len);

/* One message to send on the tracee's behalf: its buffers, read from the
 * tracee once, and the checked destination (NULL: none). */
struct fng_out_msg {
	uint64_t iov;		/* tracee address of the iovec array (sendmsg), or 0 */
	uint64_t iovlen;
	uint64_t buf, len;	/* sendto's single buffer, when iov is 0 */
	uint64_t control, controllen;
	const struct sockaddr_storage *name;
	socklen_t namelen;
	int flags;
};
/* Send it on s: the result the tracee's call returns (bytes, or -errno).
 * Never blocks longer than FNG_SEND_WAIT_MS for a blocking socket. */
#define FNG_SEND_WAIT_MS 1000
#define FNG_SEND_MAX (1u << 20)
long fng_sock_send(pid_t tid, const struct fng_sock *s, const struct fng_out_msg *m);

/* The kernel's reading of an AF_UNIX address (net/unix/af_unix.c:
 * unix_validate_addr, unix_mkname_bsd): addrlen from 2 (autobind) to
 * sizeof(struct sockaddr_un); a first byte of NUL is an abstract name;
 * otherwise the path is sun_path up to its first NUL or to addrlen, all 108
 * bytes included. 0 with the path in out ("" for autobind and abstract
 * names: no file), or -EINVAL where the kernel refuses the address. Pure. */
#define FNG_UNIX_PATH_BUF 109
struct sockaddr_un;
int fng_sock_unix_path(const struct sockaddr_un *sun, size_t len, char out[FNG_UNIX_PATH_BUF]);

/* The most control data fnguard reads for a send it makes on the tracee's
 * behalf (the kernel's own limit, optmem_max, is lower by default). */
#define FNG_CONTROL_MAX 65536

/* Does a send's control data, walked as the kernel walks it, hold a message
 * that sends the packet elsewhere than its destination: an IPv4 source
 * route (IP_RETOPTS, IP_OPTIONS), an IPv6 routing header (IPV6_RTHDR,
 * IPV6_2292RTHDR), or *_PKTINFO naming an interface or a source address?
 * 1 yes, 0 no, -EINVAL where the kernel refuses the data.
 * Pure. */
int fng_sock_control_reroutes(const void *control, size_t len);

/* Does the socket carry such an option already (set before fnguard's filter
 * refused setting it, or in a phase it was allowed)? Unsure: yes. */
bool fng_sock_reroutes(const struct fng_sock *s);

/* Is the socket in the network namespace of the inode netns_ino on
 * netns_dev (the supervisor's)? Unsure: no. */
bool fng_sock_in_netns(const struct fng_sock *s, dev_t netns_dev, ino_t netns_ino);

/* Is an address (16 bytes, IPv4 mapped) one of this host's own, as the
 * kernel sees it from fnguard's network namespace (a bind to it works, or
 * it is on an interface: an IPv6 address still "tentative" is local soon)?
 * Unsure (no socket, an odd scope, no interface list): yes. */
bool fng_sock_addr_local(const uint8_t addr[16]);

/* The peer of an IP stream socket, also while its connect is still under
 * way (SYN sent: SO_PEERNAME answers where getpeername says ENOTCONN).
 * 0, or -errno (-ENOTCONN: it connects nowhere). */
int fng_sock_peer(const struct fng_sock *s, struct sockaddr_storage *ss, socklen_t *len);

#endif
