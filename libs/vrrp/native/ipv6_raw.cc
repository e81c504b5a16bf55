// A raw IPv6 socket for VRRPv3 (RFC 5798 §5.1.2) and unsolicited NAs: what raw-socket cannot do.
// recvmsg with IPV6_RECVHOPLIMIT + IPV6_RECVPKTINFO (hop limit and destination of each packet), sendmsg with
// the hop limit 255 and an explicit source address, and a uv_poll watcher on the Node event loop.
#include <napi.h>
#include <uv.h>
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

Napi::Value Fail(Napi::Env env, const char* what) {
  Napi::Error e = Napi::Error::New(env, std::string(what) + ": " + strerror(errno));
  e.Set("errno", Napi::Number::New(env, errno));
  e.ThrowAsJavaScriptException();
  return env.Undefined();
}

bool ParseIn6(Napi::Env env, const Napi::Value& v, in6_addr* out) {
  std::string s = v.As<Napi::String>().Utf8Value();
  if (inet_pton(AF_INET6, s.c_str(), out) != 1) {
    Napi::TypeError::New(env, "not an IPv6 address: " + s).ThrowAsJavaScriptException();
    return false;
  }
  return true;
}

int SetInt(int fd, int level, int name, int value) { return setsockopt(fd, level, name, &value, sizeof value); }

class Socket : public Napi::ObjectWrap<Socket> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "Ipv6RawSocket", {
      InstanceMethod("join", &Socket::Join),
      InstanceMethod("bind", &Socket::Bind),
      InstanceMethod("send", &Socket::Send),
      InstanceMethod("recv", &Socket::Recv),
      InstanceMethod("start", &Socket::Start),
      InstanceMethod("close", &Socket::Close),
    });
  }

  // new Ipv6RawSocket(protocol, ifname, { hopLimit, tclass, loop })
  explicit Socket(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Socket>(info) {
    Napi::Env env = info.Env();
    int protocol = info[0].As<Napi::Number>().Int32Value();
    std::string ifname = info[1].As<Napi::String>().Utf8Value();
    ifindex_ = if_nametoindex(ifname.c_str());
    if (ifindex_ == 0) { Fail(env, ("if_nametoindex " + ifname).c_str()); return; }
    fd_ = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
    if (fd_ < 0) { Fail(env, "socket"); return; }
    int hop = 255, tclass = -1;
    if (info.Length() > 2 && info[2].IsObject()) {
      Napi::Object o = info[2].As<Napi::Object>();
      if (o.Has("hopLimit")) hop = o.Get("hopLimit").As<Napi::Number>().Int32Value();
      if (o.Has("tclass")) tclass = o.Get("tclass").As<Napi::Number>().Int32Value();
    }
    if (setsockopt(fd_, SOL_SOCKET, SO_BINDTODEVICE, ifname.c_str(), ifname.size() + 1) < 0 ||
        SetInt(fd_, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) < 0 || SetInt(fd_, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) < 0 ||
        SetInt(fd_, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, hop) < 0 || SetInt(fd_, IPPROTO_IPV6, IPV6_UNICAST_HOPS, hop) < 0 ||
        SetInt(fd_, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0) < 0 ||
        SetInt(fd_, IPPROTO_IPV6, IPV6_MULTICAST_IF, static_cast<int>(ifindex_)) < 0 ||
        (tclass >= 0 && SetInt(fd_, IPPROTO_IPV6, IPV6_TCLASS, tclass) < 0)) {
      int saved = errno;
      ::close(fd_);
      fd_ = -1;
      errno = saved;
      Fail(env, "setsockopt");
    }
  }

  ~Socket() override { Shut(); }

 private:
  int fd_ = -1;
  unsigned ifindex_ = 0;
  uv_poll_t* poll_ = nullptr;
  Napi::FunctionReference onReadable_;

  void Shut() {
    if (poll_) {
      uv_poll_stop(poll_);
      uv_close(reinterpret_cast<uv_handle_t*>(poll_), [](uv_handle_t* h) { delete reinterpret_cast<uv_poll_t*>(h); });
      poll_ = nullptr;
    }
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    onReadable_.Reset();
  }

  Napi::Value Closed(Napi::Env env) {
    Napi::Error::New(env, "socket closed").ThrowAsJavaScriptException();
    return env.Undefined();
  }

  // join(group): IPV6_ADD_MEMBERSHIP on the interface.
  Napi::Value Join(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (fd_ < 0) return Closed(env);
    ipv6_mreq m{};
    if (!ParseIn6(env, info[0], &m.ipv6mr_multiaddr)) return env.Undefined();
    m.ipv6mr_interface = ifindex_;
    if (setsockopt(fd_, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m, sizeof m) < 0) return Fail(env, "IPV6_ADD_MEMBERSHIP");
    return env.Undefined();
  }

  // bind(address): the source of what we send (a link-local address gets the interface as scope).
  Napi::Value Bind(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (fd_ < 0) return Closed(env);
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    if (!ParseIn6(env, info[0], &sa.sin6_addr)) return env.Undefined();
    sa.sin6_scope_id = ifindex_;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) return Fail(env, "bind");
    return env.Undefined();
  }

  // send(buffer, destination): sendto with the interface as scope; returns the bytes sent.
  Napi::Value Send(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (fd_ < 0) return Closed(env);
    Napi::Buffer<uint8_t> buf = info[0].As<Napi::Buffer<uint8_t>>();
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    if (!ParseIn6(env, info[1], &sa.sin6_addr)) return env.Undefined();
    sa.sin6_scope_id = ifindex_;
    ssize_t n = sendto(fd_, buf.Data(), buf.Length(), 0, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    if (n < 0) return Fail(env, "sendto");
    return Napi::Number::New(env, static_cast<double>(n));
  }

  // recv(): one packet { data, src, dst, hopLimit, ifindex }, or undefined when none is waiting.
  Napi::Value Recv(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (fd_ < 0) return Closed(env);
    uint8_t data[65536];
    alignas(cmsghdr) uint8_t control[256];
    sockaddr_in6 from{};
    iovec iov{data, sizeof data};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = recvmsg(fd_, &msg, 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return env.Undefined();
      return Fail(env, "recvmsg");
    }
    int hop = -1;
    unsigned ifindex = 0;
    char dst[INET6_ADDRSTRLEN] = "", src[INET6_ADDRSTRLEN] = "";
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != IPPROTO_IPV6) continue;
      if (c->cmsg_type == IPV6_HOPLIMIT) memcpy(&hop, CMSG_DATA(c), sizeof hop);
      if (c->cmsg_type == IPV6_PKTINFO) {
        in6_pktinfo pi;
        memcpy(&pi, CMSG_DATA(c), sizeof pi);
        inet_ntop(AF_INET6, &pi.ipi6_addr, dst, sizeof dst);
        ifindex = pi.ipi6_ifindex;
      }
    }
    inet_ntop(AF_INET6, &from.sin6_addr, src, sizeof src);
    Napi::Object o = Napi::Object::New(env);
    o.Set("data", Napi::Buffer<uint8_t>::Copy(env, data, static_cast<size_t>(n)));
    o.Set("src", src);
    o.Set("dst", dst);
    o.Set("hopLimit", Napi::Number::New(env, hop));
    o.Set("ifindex", Napi::Number::New(env, ifindex));
    o.Set("truncated", Napi::Boolean::New(env, (msg.msg_flags & MSG_TRUNC) != 0));
    return o;
  }

  // start(onReadable): calls onReadable() on the event loop whenever packets are waiting (then call recv()).
  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (fd_ < 0) return Closed(env);
    if (poll_) return env.Undefined();
    onReadable_ = Napi::Persistent(info[0].As<Napi::Function>());
    uv_loop_t* loop = nullptr;
    if (napi_get_uv_event_loop(env, &loop) != napi_ok || !loop) return Fail(env, "napi_get_uv_event_loop");
    poll_ = new uv_poll_t;
    uv_poll_init(loop, poll_, fd_);
    poll_->data = this;
    uv_poll_start(poll_, UV_READABLE, [](uv_poll_t* h, int status, int) {
      auto* self = static_cast<Socket*>(h->data);
      if (status < 0 || self->onReadable_.IsEmpty()) return;
      Napi::Env env = self->onReadable_.Env();
      Napi::HandleScope scope(env);
      self->onReadable_.MakeCallback(env.Global(), {});
    });
    return env.Undefined();
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    Shut();
    return info.Env().Undefined();
  }
};

Napi::Object InitAll(Napi::Env env, Napi::Object exports) {
  exports.Set("Ipv6RawSocket", Socket::Init(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(ipv6_raw, InitAll)
