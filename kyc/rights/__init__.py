"""The data subject's rights (GDPR Art. 15 to 18): naming the subject a request is about,
and what each right does."""
