// Placeholder: replaced as the DNSModel layer is written.
