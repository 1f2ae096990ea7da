"""Streamlit building blocks of the gaitkeeper app. Presentation only: every rule, threshold
and score comes from the ``recommender`` package."""
