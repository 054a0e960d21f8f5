"""One router module per audience: pages (public), later supporter, friend, organizer, api."""
