"""The innovation service: master plan, innovation registry, stages, quota and acceleration."""
