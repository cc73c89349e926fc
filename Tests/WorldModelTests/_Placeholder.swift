// Placeholder: replaced as tests are written.
