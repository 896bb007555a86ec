"""The pipeline's configuration from Django settings (KOTIKANAVA_PIPELINE overrides defaults)."""

from django.conf import settings

from streaming.pipeline.config import PipelineConfig


def pipeline_config() -> PipelineConfig:
    return PipelineConfig.from_mapping(getattr(settings, "KOTIKANAVA_PIPELINE", {}))
