"""Workbook import and export: the register's roster in and out of .xlsx files the clerk keeps."""
