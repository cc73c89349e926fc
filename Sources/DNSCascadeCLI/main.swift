// Placeholder: replaced by the command-line entry point.
