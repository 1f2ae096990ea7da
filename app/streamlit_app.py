"""gaitkeeper — the Streamlit front end. Run from the project root:

    streamlit run app/streamlit_app.py

Four pages (``app/views``): the shoe finder for runners, the runner's own progress journal,
store inventory scoring, and the catalog. All domain logic is in the ``recommender``
package; the pages only compose it.
"""

from __future__ import annotations

import streamlit as st
from gaitkeeper_ui.questionnaire import keep_state

st.set_page_config(page_title="gaitkeeper", page_icon="🏃", layout="wide")
keep_state()  # the finder's answers survive a visit to another page

PAGES = [
    st.Page("views/finder.py", title="Shoe finder", icon=":material/directions_run:",
            url_path="finder", default=True),
    st.Page("views/progress.py", title="My progress", icon=":material/monitoring:",
            url_path="progress"),
    st.Page("views/store.py", title="Store inventory", icon=":material/storefront:",
            url_path="store"),
    st.Page("views/catalog.py", title="Catalog", icon=":material/list_alt:", url_path="catalog"),
]

st.navigation(PAGES, position="top").run()
