"""One module per job of the clerk. Functions take a Session and return plain results or raise CanlianError."""
