"""The client-facing side of live sessions: their pages, the home listing, the calendar feed and
the draft page made for each recording. The sessions themselves belong to `streaming`."""
