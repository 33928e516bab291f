"""The openai provider: any OpenAI-compatible endpoint through aiohttp + instructor + tenacity."""
