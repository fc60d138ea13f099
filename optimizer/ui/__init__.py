"""The app's Streamlit code, for app.py only: the sidebar (`sidebar`) and one function per tab
(`tabs`). What they draw on is plain Python below: the controls and the session
(optimizer.controls, optimizer.session), the words, tables and figures (optimizer.present).
"""
