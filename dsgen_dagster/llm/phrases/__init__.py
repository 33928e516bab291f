"""Phrase pools of the offline provider, per language:

- `<lang>.py`: the email phrases every ticket shares, and the language's words (months, amounts,
  payment and shipping names);
- `<lang>_cases.py`: the email phrases of each ticket type (situation, details, subject);
- `<lang>_answers.py`: the agent's answer phrases.

Every language has the same keys (a test checks it). This is template text written for the
offline provider, not model output.
"""
