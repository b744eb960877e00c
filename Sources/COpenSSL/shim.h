// OpenSSL 3 (libssl, libcrypto), for BlackboardTLS only.
//
// Many of OpenSSL's configuration calls are function-like macros over
// SSL_CTX_ctrl/SSL_ctrl, which Swift cannot import; each one BlackboardTLS needs
// is wrapped here in a static inline function of the same meaning.
#ifndef BLACKBOARD_COPENSSL_SHIM_H
#define BLACKBOARD_COPENSSL_SHIM_H

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

static inline int blackboard_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

static inline int blackboard_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

static inline long blackboard_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

static inline long blackboard_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_session_cache_mode(ctx, mode);
}

static inline void blackboard_SSL_CTX_refuse_renegotiation(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
}

static inline int blackboard_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

// A socket BIO whose writes use send(MSG_NOSIGNAL): OpenSSL's own socket BIO
// calls write(), which raises SIGPIPE when the peer has gone, and a library
// (the client) cannot count on its host process ignoring that signal. Reads and
// control calls are the stock socket BIO's.
static inline int blackboard_nosignal_write(BIO *bio, const char *data, int length) {
    int fd = -1;
    BIO_get_fd(bio, &fd);
    BIO_clear_retry_flags(bio);
    ssize_t count = send(fd, data, (size_t)length, MSG_NOSIGNAL);
    if (count < 0 && BIO_sock_should_retry(-1)) BIO_set_retry_write(bio);
    return (int)count;
}

/// The method of that BIO; make it once and keep it (never freed).
static inline BIO_METHOD *blackboard_nosignal_socket_method_new(void) {
    const BIO_METHOD *stock = BIO_s_socket();
    BIO_METHOD *method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR,
                                      "socket (MSG_NOSIGNAL)");
    if (method == NULL) return NULL;
    BIO_meth_set_write(method, blackboard_nosignal_write);
    BIO_meth_set_read(method, BIO_meth_get_read(stock));
    BIO_meth_set_puts(method, BIO_meth_get_puts(stock));
    BIO_meth_set_ctrl(method, BIO_meth_get_ctrl(stock));
    BIO_meth_set_create(method, BIO_meth_get_create(stock));
    BIO_meth_set_destroy(method, BIO_meth_get_destroy(stock));
    return method;
}

/// A BIO of `method` on `fd`, which it does not close.
static inline BIO *blackboard_BIO_new_socket(BIO_METHOD *method, int fd) {
    BIO *bio = BIO_new(method);
    if (bio != NULL) BIO_set_fd(bio, fd, BIO_NOCLOSE);
    return bio;
}

// The stack macros over GENERAL_NAMES (a certificate's subject alternative names).
static inline int blackboard_general_names_count(const GENERAL_NAMES *names) {
    return sk_GENERAL_NAME_num(names);
}

static inline const GENERAL_NAME *blackboard_general_names_value(const GENERAL_NAMES *names, int index) {
    return sk_GENERAL_NAME_value(names, index);
}

/// The IA5 string of a DNS, email or URI name; NULL for other kinds.
static inline const ASN1_IA5STRING *blackboard_general_name_text(const GENERAL_NAME *name) {
    switch (name->type) {
    case GEN_DNS: return name->d.dNSName;
    case GEN_EMAIL: return name->d.rfc822Name;
    case GEN_URI: return name->d.uniformResourceIdentifier;
    default: return NULL;
    }
}

#endif
