"""The Streamlit review app (run with `leadbase review`)."""
