"""AI Clone trainer: LoRA fine-tuning on chat datasets and GGUF LoRA adapter export for llama.cpp."""

__version__ = "0.1.0"
