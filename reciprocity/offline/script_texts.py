"""The words the scripts in static/js show a person, in the page's language.

The scripts have no catalogue of their own: base.html writes the words of offline.js and reciprocity.js once
into each page as JSON (`{% script_texts %}`, an element with the id "js-texts"), and the voice controls write
voice.js's beside themselves (`{% script_texts "voice" %}`, id "voice-texts"). Each script reads its part and
falls back to its own English when the element is missing. Placeholders are in braces ({n}, {drafts},
{time}); the scripts fill them in. A count's two forms are given as "…One" and "…Many", which is all English,
Spanish and German need for the small numbers these are.
"""

from django.utils.translation import gettext, ngettext


def page_texts() -> dict[str, dict[str, str]]:
    """The words of the scripts on every page, by script (offline.js, reciprocity.js) and key."""
    offline = {
        "offline": gettext("You are offline. This page is as it was when it was last loaded."),
        "reflectionOne": ngettext("{n} reflection", "{n} reflections", 1),
        "reflectionMany": ngettext("{n} reflection", "{n} reflections", 2),
        "sessionOne": ngettext("{n} session", "{n} sessions", 1),
        "sessionMany": ngettext("{n} session", "{n} sessions", 2),
        "and": gettext("{first} and {second}"),
        "waitingOfflineOne": gettext("{drafts} waiting to be sent — it will be sent when you are back online."),
        "waitingOfflineMany": gettext("{drafts} waiting to be sent — they will be sent when you are back online."),
        "waitingOnlineOne": gettext("{drafts} waiting to be sent — it will be sent now that you are back online."),
        "waitingOnlineMany": gettext("{drafts} waiting to be sent — they will be sent now that you are back online."),
        "waitingSignedOutOne": gettext("{drafts} waiting to be sent — sign in to send it."),
        "waitingSignedOutMany": gettext("{drafts} waiting to be sent — sign in to send them."),
        "stuckReflection": gettext("A reflection written offline could not be sent: something in it needs changing."),
        "stuckSession": gettext("A session written offline could not be sent: something in it needs changing."),
        "openToFix": gettext("Open it to fix it"),
        "sent": gettext("Sent: {drafts} written offline."),
        "draftBack": gettext("Your draft is back in the form. Change what is needed and save it."),
        "notKept": gettext("This could not be kept on this device. Copy your words somewhere safe."),
    }
    app = {
        "gone": gettext("That is no longer there. Reload the page."),
        "failed": gettext("Something went wrong and nothing changed. Reload the page and try again."),
        "unreachable": gettext("The app cannot be reached. Check the connection and try again."),
    }
    return {"offline": offline, "app": app}


def voice_texts() -> dict[str, str]:
    """The words of voice.js, by key."""
    return {
        "asking": gettext("Asking your browser for the microphone…"),
        "notAllowed": gettext("The microphone was not allowed or is not there; you can type instead."),
        "cannotRecord": gettext("This browser cannot record here; you can type instead."),
        "recording": gettext("● Recording: {time} left. Press Stop when you are done."),
        "stop": gettext("Stop recording"),
        "speak": gettext("Speak instead of typing"),
        "turning": gettext("Turning your words into text on this server…"),
        "unreachable": gettext("This server cannot be reached; nothing was sent. Type instead, or try again."),
        "signedOut": gettext("You were signed out. Sign in again, then record again."),
        "failed": gettext("The recording could not be turned into text."),
        "noWords": gettext("No words were heard. Try again closer to the microphone, or type."),
        "added": gettext("Added to the end of the text, and the recording deleted. Check and edit it before saving."),
        "busy": gettext("Another box is recording; stop that one first."),
    }
