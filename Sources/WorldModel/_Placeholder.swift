// Placeholder: replaced as the WorldModel layer is written.
