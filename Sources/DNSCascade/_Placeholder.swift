// Placeholder: replaced as the DNSCascade layer is written.
