// The c-ares 1.18 headers as one module. Imported only with `internal import` from AresShim,
// so no C type reaches a public API.
#include <ares.h>
#include <ares_dns.h>
#include <arpa/nameser.h>
