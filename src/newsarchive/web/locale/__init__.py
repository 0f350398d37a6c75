"""The interface's gettext catalogs: ``messages.pot`` and ``{lang}/LC_MESSAGES/messages.po``.

``python -m newsarchive.web.locale extract`` refreshes the template and merges it into every
catalog; ``python -m newsarchive.web.locale check`` lists what is untranslated (exit status 1).
"""
