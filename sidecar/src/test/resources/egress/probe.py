"""Servers and clients for EgressRuleInstallerNetnsTest, one action per run.

Clients print one word (what happened) and always exit 0, so the test reads the outcome from
stdout: connected, reply, refused, denied, timeout, or error:<name>.
"""
import errno
import socket
import sys


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def outcome(exc):
    if isinstance(exc, socket.timeout):
        return "timeout"
    if exc.errno in (errno.ECONNREFUSED, errno.ECONNRESET, errno.EHOSTUNREACH, errno.ENETUNREACH):
        return "refused"
    if exc.errno in (errno.EPERM, errno.EACCES):
        return "denied"
    return "error:" + errno.errorcode.get(exc.errno, str(exc.errno))


def tcp_server(host, port):
    s = socket.socket(family(host), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family(host) == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind((host, int(port)))
    s.listen(16)
    print("listening", flush=True)
    while True:
        conn, _ = s.accept()
        try:
            conn.sendall(b"ok\n")
        finally:
            conn.close()


def udp_server(port, log):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", int(port)))
    print("listening", flush=True)
    while True:
        data, peer = s.recvfrom(2048)
        with open(log, "a") as f:
            f.write("%s %d\n" % (peer[0], len(data)))
        s.sendto(data, peer)


def tcp_connect(host, port):
    s = socket.socket(family(host), socket.SOCK_STREAM)
    s.settimeout(3)
    try:
        s.connect((host, int(port)))
        data = s.recv(16)
        print("connected" if data.startswith(b"ok") else "error:nodata")
    except OSError as e:
        print(outcome(e))


def udp_send(host, port, payload):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.settimeout(2)
    try:
        s.connect((host, int(port)))
        s.send(payload)
        s.recv(2048)
        print("reply")
    except OSError as e:
        print(outcome(e))


def dns_query():
    # A standard query for example.com, type A, class IN: what a resolver would send.
    name = b"".join(bytes([len(p)]) + p for p in b"example.com".split(b".")) + b"\x00"
    return b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00" + name + b"\x00\x01\x00\x01"


if __name__ == "__main__":
    action, args = sys.argv[1], sys.argv[2:]
    if action == "tcp-server":
        tcp_server(*args)
    elif action == "udp-server":
        udp_server(*args)
    elif action == "tcp-connect":
        tcp_connect(*args)
    elif action == "udp-send":
        udp_send(args[0], args[1], b"hello")
    elif action == "dns-query":
        udp_send(args[0], args[1], dns_query())
    else:
        sys.exit("unknown action " + action)
