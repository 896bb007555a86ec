"""Deleting a video or a caption track deletes its files, once the deletion is committed."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from streaming.models import Caption, Video
from streaming.versions import delete_files


@receiver(post_delete, sender=Video, dispatch_uid="streaming.video_files")
def delete_video_files(sender, instance: Video, **kwargs):
    original, outputs = instance.original, list(instance.output_manifest.get("files", []))

    def delete():
        if original:
            original.delete(save=False)
        delete_files(outputs)

    transaction.on_commit(delete)


@receiver(post_delete, sender=Caption, dispatch_uid="streaming.caption_file")
def delete_caption_file(sender, instance: Caption, **kwargs):
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
