"""The recording pipeline: probe -> validate -> ladder -> one ffmpeg pass -> playlists.

Pure Python and ffmpeg only: no Django models, no storage. `run.transcode` is the entry point.
"""
