"""S3 storage that labels every uploaded file with its content type and cache lifetime."""

from storages.backends.s3 import S3Storage

from streaming import files


class MediaS3Storage(S3Storage):
    def get_object_parameters(self, name):
        parameters = super().get_object_parameters(name)
        parameters.setdefault("ContentType", files.content_type(name))
        parameters.setdefault("CacheControl", files.cache_control(name))
        return parameters
