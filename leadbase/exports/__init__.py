"""Exports of the base: files people open in spreadsheets, and CRM pushes."""
