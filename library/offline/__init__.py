"""Saving videos on the device: the Saved page, the service worker and the web app manifest.

The saving itself happens in the browser (library/static/library/js/offline.js): the page puts
the small MP4, its poster and the page into Cache Storage with the viewer's own cookies, so only
what this viewer may fetch is ever stored, and only when they ask for it.
"""
