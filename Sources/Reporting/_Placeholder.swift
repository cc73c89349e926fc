// Placeholder: replaced as the Reporting layer is written.
