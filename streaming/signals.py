"""Deleting a video or a caption track removes its files in a task, once the deletion commits."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from streaming.models import Caption, Video
from streaming.removal import stored_files
from streaming.tasks import remove_stored_files


@receiver(post_delete, sender=Video, dispatch_uid="streaming.video_files")
def delete_video_files(sender, instance: Video, **kwargs):
    names, folders = stored_files(instance)
    transaction.on_commit(lambda: remove_stored_files.enqueue(names, folders))


@receiver(post_delete, sender=Caption, dispatch_uid="streaming.caption_file")
def delete_caption_file(sender, instance: Caption, **kwargs):
    name = instance.file.name
    if name:
        transaction.on_commit(lambda: remove_stored_files.enqueue([name], []))
