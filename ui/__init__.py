"""The window: widgets only. Every screen calls app.services / app.io / app.reports and nothing else."""
