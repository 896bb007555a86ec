"""S3 storage that labels every uploaded file with its content type and cache lifetime.

The bucket stays private: viewers reach its files only through short-lived signed URLs that
the app hands to those who may watch (see `streaming.delivery`).
"""

from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from streaming import files


class MediaS3Storage(S3Storage):
    def get_object_parameters(self, name):
        parameters = super().get_object_parameters(name)
        parameters.setdefault("ContentType", files.content_type(name))
        parameters.setdefault("CacheControl", files.cache_control(name))
        return parameters

    def signed_url(self, name: str, expire: int, **response_parameters) -> str:
        """A GET URL for `name` that stops working after `expire` seconds, whatever the
        storage's own `querystring_auth` and custom domain say.

        `response_parameters` (such as `ResponseContentDisposition`) are signed into the URL,
        and S3 answers with those headers."""
        key = self._normalize_name(clean_name(name))
        params = {"Bucket": self.bucket.name, "Key": key, **response_parameters}
        return self.connection.meta.client.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=expire
        )
