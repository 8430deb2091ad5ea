"""Backups and the USB export: verified copies and restores (copies), automatic backups (automatic), whose
a backup is (facts), the dated export folder (bundle) with its optional encrypted database
(bundle_database), and where an export may go (drives)."""
