// Placeholder: replaced as the AresShim layer is written.
