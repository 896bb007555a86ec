"""The two roles of Kotikanava and what each may do; applied by a data migration.

Staff (sisällöntuottajat) write pages and upload videos but cannot publish: their work goes to the
editors through the moderation workflow. Editors (toimittajat) review, publish, schedule and
manage collections.
"""

STAFF_GROUP = "Sisällöntuottajat"
EDITORS_GROUP = "Toimittajat"
WORKFLOW_NAME = "Toimittajan hyväksyntä"
TASK_NAME = "Toimittajan tarkistus"

# app_label.codename
STAFF_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "streaming.add_video",
    "streaming.change_video",
    "streaming.view_video",
    "streaming.add_caption",
    "streaming.change_caption",
    "streaming.view_caption",
]
# Staff host live sessions: they see the schedule and the instructions for streaming.
LIVE_STAFF_PERMISSIONS = ["streaming.view_livesession"]
# Editors plan them: schedule, change, cancel and rotate stream keys.
LIVE_EDITOR_PERMISSIONS = [
    "streaming.add_livesession",
    "streaming.change_livesession",
    "streaming.delete_livesession",
    "streaming.view_livesession",
]
EDITOR_PERMISSIONS = [
    *STAFF_PERMISSIONS,
    "streaming.delete_video",
    "streaming.delete_caption",
]

STAFF_PAGE_PERMISSIONS = ["add_page", "change_page"]
EDITOR_PAGE_PERMISSIONS = [
    *STAFF_PAGE_PERMISSIONS,
    "publish_page",
    "delete_page",
    "lock_page",
    "unlock_page",
]

# Collection permissions (app_label.codename), given on the root collection.
STAFF_COLLECTION_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.choose_document",
]
EDITOR_COLLECTION_PERMISSIONS = [
    *STAFF_COLLECTION_PERMISSIONS,
    "wagtailimages.change_image",
    "wagtailimages.delete_image",
    "wagtaildocs.change_document",
    "wagtaildocs.delete_document",
    "wagtailcore.add_collection",
    "wagtailcore.change_collection",
    "wagtailcore.delete_collection",
]

# Video permissions per collection, on the root (streaming migration 0007 grants them; Wagtail's
# ownership policy lets "add" also edit and delete one's own videos, "change" everyone's).
VIDEO_STAFF_COLLECTION_PERMISSIONS = ["streaming.add_video", "streaming.choose_video"]
VIDEO_EDITOR_COLLECTION_PERMISSIONS = [
    *VIDEO_STAFF_COLLECTION_PERMISSIONS,
    "streaming.change_video",
]
