"""One package per tab of the window (register, subsidies, visits, devices, summary, backup) and settings.
Functions take a Session and return plain results or raise CanlianError."""
