"""Every piece of clinical copy the patient reads, in one place.

A clinician can review this module in one read: checklists, prompts, safety
notes and crisis text. The app records; it never advises. Nothing here gives
dosing advice or a diagnosis, and scores are always labelled as tracking tools.
"""

from __future__ import annotations

from typing import Final

APP_TITLE: Final = "companion"
APP_SUBTITLE: Final = "for your infusion days"

# --- Safety -----------------------------------------------------------------

NOT_MONITORED: Final = (
    "What you write here stays on this computer. It is not read or monitored "
    "by your clinic."
)
DEFAULT_CRISIS_CONTACTS: Final = (
    "If you are in crisis or thinking about harming yourself, call or text 988 "
    "(US), or call your local emergency number."
)
#: The first line of a clinic's crisis contacts is shown at the bottom of every
#: screen where the patient writes; the default has this short line of its own.
CRISIS_LINE_DEFAULT: Final = "In crisis: call or text 988 (US) or your local emergency number."
CRISIS_KEY_HINT: Final = "F2 in full"
CRISIS_TITLE: Final = "If you need help now"
CRISIS_CLOSE: Final = "Escape or Enter closes this."
CRISIS_CONTACTS_EMPTY: Final = (
    "Setting 'crisis_contacts' is empty; the default crisis contacts are shown instead."
)
#: The one wording for urinary symptoms: beside the tick in Integration, in
#: the report for the therapist and in the README.
URINARY_NOTICE: Final = (
    "Urinary symptoms (needing to go often or urgently, pain when passing "
    "urine, bladder pain): let your doctor know immediately."
)
#: Home keeps this until the patient marks it as done (u).
HOME_URINARY_REMINDER: Final = (
    "Urinary symptoms after infusion {numbers}: let your doctor know "
    "immediately. Press u once you have told your clinic."
)
HOME_URINARY_CONFIRM: Final = "Have you told your clinic about the urinary symptoms?"
HOME_URINARY_YES: Final = "I have told them"
HOME_URINARY_TOLD: Final = "You told your clinic about the urinary symptoms on {day}."
RECORDS_ONLY: Final = (
    "companion keeps a record for you and your care team. It gives no medical "
    "advice: dose, vital signs and treatment decisions belong to your clinic."
)

# --- Stages -----------------------------------------------------------------

STAGE_INTROS: Final = {
    "preparation": (
        "Set and setting: prepare the room and yourself before the infusion."
    ),
    "intention": "What would you like to bring to this infusion?",
    "experience": "Rest. The music plays by itself; nothing needs you now.",
    "integration": (
        "Take your time. Write what you remember while it is fresh."
    ),
}

#: Set-and-setting checklist: key -> what the patient ticks.
CHECKLIST: Final = {
    "eye_mask": "Eye mask within reach",
    "headphones": "Headphones on, test tone heard at a comfortable volume",
    "phone": "Phone silenced",
    "bathroom": "Bathroom visited",
    "comfort": "Comfortable clothes and a blanket",
    "water": "Water within reach",
}

#: Ratings taken before and after each infusion, 0 to 10.
RATINGS: Final = {
    "pain": ("Pain", "0 no pain", "10 worst imaginable"),
    "mood": ("Mood", "0 very low", "10 very good"),
    "anxiety": ("Anxiety", "0 calm", "10 extremely anxious"),
}
RATINGS_NOTE: Final = "Ratings are a tracking tool for you and your care team."
#: On each rating row: how to reach 10 with the number keys, and what a 1 just
#: typed is waiting for (a 0 within a second makes it 10; otherwise it stays 1).
RATING_TEN_HINT: Final = "1 then 0 for 10"
RATING_TEN_WAITING: Final = "0 now makes it 10"

#: The clinic's lifestyle questions: key -> (question, answers).
LIFESTYLE: Final = {
    "exercise": ("Exercise in the last day", ("none", "light", "moderate", "vigorous")),
    "meditation": ("Meditation or breathing practice", ("no", "a little", "yes")),
    "sleep": ("Sleep last night", ("poor", "fair", "good")),
    "relationships": ("Time with people who lift you", ("none", "some", "plenty")),
    "diet": ("Eating", ("poorly", "okay", "well")),
}

#: Daily check-in adds these to the lifestyle questions.
CHECKIN_EXTRA: Final = {
    "gratitude": ("Noticed something to be grateful for", ("no", "yes")),
    "music": ("Listened to uplifting music", ("no", "yes")),
}

BREATHING_TITLE: Final = "One minute of paced breathing"
BREATHING_IN: Final = "Breathe in"
BREATHING_OUT: Final = "Breathe out"
BREATHING_DONE: Final = "Well done. Press Escape to return."
#: Seconds in and out: six slow breaths a minute.
BREATHING_PACE: Final = (4.0, 6.0)
BREATHING_SECONDS: Final = 60.0

INTENTION_PROMPTS_TITLE: Final = "Prompts to start from"
INTENTION_PROMPTS: Final = (
    "What would you like to let go of?",
    "What would you like to understand better about your pain?",
    "How would you like to feel when you wake up tomorrow?",
    "Is there someone or something you want to hold in mind?",
    "A single word to return to if the experience feels strong.",
)
INTENTION_EARLIER: Final = "Earlier intentions (Enter adds one):"
INTENTION_EMPTY_HISTORY: Final = "Your earlier intentions will appear here."

EXPERIENCE_PREPARING: Final = "Preparing the music…"
EXPERIENCE_FINISHED: Final = (
    "The music has ended. Take your time coming back. "
    "Press Enter when you are ready for Integration."
)
EXPERIENCE_END_EARLY: Final = (
    "End the music now? It will fade out gently and you will move on to "
    "Integration."
)
#: Steering the music during the Experience: each change is kept like a marked moment, with this note
#: (the notes are also how a restart finds the changes again: keep them distinct).
#: The title of a generated track in another variation (settings: music_variation = "new").
MUSIC_VARIATION_TITLE: Final = "{title} (variation {number})"
#: Preparation's music row: the patient (or a nurse) chooses with v which the Experience plays.
MUSIC_CHOICE_LABEL: Final = "The music (v to change)"
MUSIC_CHOICES: Final = {
    "known": "the one I know: the same piece every infusion",
    "new": "a new variation: the same calm arc, played differently this time",
}
MUSIC_CHOICE_FILES: Final = "Your playlist's own recordings stay the same either way."
MUSIC_CHOICE_SAVE_FAILED: Final = "The music choice could not be saved for next time."
MUSIC_DEEPER_NOTE: Final = "Music: deeper"
MUSIC_LIGHTER_NOTE: Final = "Music: lighter"
MUSIC_SKIPPED_NOTE: Final = "Music: skipped gently to the next track"
EXPERIENCE_DEEPER: Final = "Going deeper: the music grows sparser and darker over the next minute"
EXPERIENCE_LIGHTER: Final = "Going lighter: the music grows brighter and livelier over the next minute"
EXPERIENCE_STEER_LIMIT: Final = "The music is already as {which} as it goes"
EXPERIENCE_SKIPPING: Final = "Moving gently to the next track"
EXPERIENCE_NO_SKIP: Final = "Nothing to skip: generated music flows on (d deeper, l lighter)"
SILENT_BY_CHOICE: Final = (
    "Silent mode is set (audio_backend = \"null\"): the session clock runs, "
    "but no sound plays."
)

#: Guided journal right after the infusion: key -> prompt.
INTEGRATION_PROMPTS: Final = {
    "experience": "What did you experience?",
    "emotions": "Which emotions came up?",
    "body": "What did you notice in your body?",
    "intention": "What happened with your intention?",
    "therapist": "What would you like to bring to your therapist?",
}

INTEGRATION_YOUR_INTENTION: Final = "Your intention: {intention}"
INTEGRATION_RATINGS_TITLE: Final = "How are you now?"
SIDE_EFFECTS_TITLE: Final = "Side effects"
SIDE_EFFECTS_OTHER_PLACEHOLDER: Final = "Anything else you noticed"
SIDE_EFFECTS: Final = {
    "nausea": "Nausea",
    "headache": "Headache",
    "tiredness": "Tiredness",
    "dizziness": "Dizziness",
    "urinary": "Urinary symptoms (frequency, urgency, pain, bladder pain)",
    "other": "Something else",
}
THERAPY_DATE_PROMPT: Final = "Next therapy appointment (YYYY-MM-DD, optional time HH:MM)"
# A stored questionnaire whose answers cannot be read (by hand, another
# version, a bug) is shown with this instead of scores; nothing stops.
RECORD_NOT_SCORED: Final = "not scored: the stored answers cannot be read ({detail})"
THERAPY_DATE_INVALID: Final = "Use a date like {day} or {day} 15:30."
# The example in the empty field: a week from today, so it reads as a real date.
THERAPY_DATE_EXAMPLE: Final = "{day} 15:30"
INTEGRATION_DONE: Final = "Infusion complete. Everything is saved."

# Finishing is the same on every screen: Ctrl+S ("done") saves and moves on
# (Ctrl+N, the key before, still works in the session).
PREPARATION_DONE_KEY: Final = "Ready? Ctrl+S moves on to your intention."
INTENTION_DONE_KEY: Final = "Ctrl+S: begin the Experience · Ctrl+B: back to Preparation"
INTEGRATION_DONE_KEY: Final = "Ctrl+S: finish this infusion."
#: The Experience's status while the music is hushed (h): a gentle drop in
#: volume, undone by h again; "Vol up"/"Vol down" change the volume itself.
EXPERIENCE_HUSHED: Final = "hushed · h to undo"

# --- Keys, help and the command palette (issue 15) ---------------------------

KEYS_TITLE: Final = "Keys: {screen}"
#: The name each screen goes by in its keys list.
SCREEN_NAMES: Final = {
    "HomeScreen": "Home",
    "JournalScreen": "Journal",
    "EntryScreen": "A journal page",
    "InfusionJournalScreen": "The infusion's journal",
    "TrashScreen": "Trash",
    "PlaylistRatingsScreen": "How the tracks felt",
    "CheckinScreen": "Daily check-in",
    "FiqrScreen": "Questionnaire (FIQR)",
    "BodyMapScreen": "Body map",
    "ProgressScreen": "Progress",
    "ExportScreen": "Share with therapist",
    "PrivacyScreen": "Privacy and lock",
    "LockScreen": "Locked",
    "DamagedScreen": "The journal needs care",
}
KEYS_CLOSE: Final = "Escape or ? closes this."
KEYS_PALETTE: Final = "Everything the app does, by name"
KEYS_FOCUS_NEXT: Final = "Next field"
KEYS_FOCUS_PREVIOUS: Final = "Previous field"
#: The command palette (Ctrl+P): the app's own actions, never during the Experience.
PALETTE_COMMANDS: Final = (
    ("begin", "Begin or resume the session", "The next infusion (asks first), or the one in progress"),
    ("journal", "Journal", "Your journal pages, search and the trash"),
    ("new_page", "New journal page", "A blank page with a prompt"),
    ("checkin", "Daily check-in", "Sleep, movement and practices for a day"),
    ("fiqr", "Questionnaire (FIQR)", "The FIQR questionnaire; a draft waits where you left it"),
    ("acr", "Body map", "Where it hurts, and the symptoms"),
    ("progress", "Progress", "Charts and numbers over the series"),
    ("series", "Series", "The infusions of the series and the next one"),
    ("export", "Share with therapist", "A report you choose the contents of"),
    ("lock", "Lock now", "Hide everything behind the passphrase (an encrypted journal)"),
    ("privacy", "Privacy and lock", "Encryption, the passphrase and the lock"),
)
PALETTE_THEME: Final = ("Theme", "Change the colours; kept for the next start")
PALETTE_QUIT: Final = ("Quit", "Close the app; everything is saved")
TOO_SMALL: Final = "Too small ({width}×{height}): companion needs {min_width}×{min_height} or more."
THEME_NOT_SAVED: Final = "The theme could not be saved for next time."

# --- Home and series --------------------------------------------------------

HOME_FIRST: Final = "Your first infusion: there is nothing to wait for."
HOME_IN_PROGRESS: Final = "{place} is in progress: {stage}."
#: After an infusion: the next one in the series plan (1 to 3 days of rest).
HOME_NEXT: Final = "Next: {place}"
HOME_NEXT_WINDOW: Final = "Next: {place}: from {span}"
#: When the last infusion was, then where today sits in the plan's window
#: (1 to 3 days of rest): plain words, never a warning.
HOME_LAST_TODAY: Final = "{place} was today."
HOME_LAST_YESTERDAY: Final = "{place} was yesterday."
HOME_LAST_ON: Final = "{place} was on {day}."
HOME_PLAN_OPENS: Final = "The window opens in {n} days."
HOME_PLAN_OPENS_TOMORROW: Final = "The window opens tomorrow."
HOME_PLAN_WITHIN: Final = "Today is within the window."
HOME_PLAN_LAST_DAY: Final = "Today is the window's last day."
HOME_PLAN_PASSED: Final = "The window ended on {day}; your clinic sets the schedule."
HOME_BOOSTER: Final = "Booster timing is set with your clinic."
HOME_THERAPY: Final = "Therapy appointment: {when}"
APPOINTMENT_TODAY: Final = "today, {day}"
APPOINTMENT_TOMORROW: Final = "tomorrow, {day}"
HOME_THERAPY_NONE: Final = "No therapy appointment yet: press t to add one."
#: Beginning an infusion from Home asks first; outside the window, one calm line more.
HOME_BEGIN_CONFIRM: Final = "Begin {place} now?"
HOME_BEGIN_SOONER: Final = "Today is sooner than the plan, which has it from {span}."
HOME_BEGIN_LATER: Final = "Today is later than the plan, which had it from {span}."
HOME_BEGIN_YES: Final = "Begin"
HOME_DISCARD_CONFIRM: Final = (
    "Discard {place}, begun {when}? It goes to the trash with what you wrote "
    "for it, and can be restored from there (Journal, then t)."
)
HOME_DISCARD_YES: Final = "Discard"
HOME_DISCARD_NO: Final = "Keep it"
HOME_DISCARDED: Final = "{place} is in the trash. Journal, then t, restores it."
THERAPY_DIALOG_TITLE: Final = "Therapy appointment after {place}"
THERAPY_DIALOG_NOTE: Final = "The clinic recommends one after each infusion."
THERAPY_DIALOG_HINT: Final = "Enter saves · an empty line clears it · Escape leaves it as it was."
THERAPY_SAVED: Final = "Therapy appointment saved: {when}."
THERAPY_CLEARED: Final = "Therapy appointment cleared."

# --- Journal (between infusions) -------------------------------------------

#: Guided prompts for a blank page, by where the patient is in the series:
#: "after" = the day of an infusion, "between" = the days after it,
#: "before" = when the next infusion is due (or the first is still ahead).
#: Keys are stored with the entry, so renaming a key loses its link.
JOURNAL_PROMPTS: Final = {
    "after": {
        "after.remember": "What do you remember most from today's infusion?",
        "after.body": "How does your body feel now, a few hours later?",
        "after.image": "Was there an image, a sound or a word that stayed with you?",
        "after.kind": "What would be a kind thing to do for yourself this evening?",
    },
    "between": {
        "between.changed": "What has changed since the infusion, even a little?",
        "between.pain": "Where is your pain today, and how does it compare with before?",
        "between.practice": "Which practice helped today: moving, resting, breathing, music, people?",
        "between.meaning": "Has anything from the infusion taken on a new meaning?",
        "between.therapist": "What would you like to talk about at your next appointment?",
    },
    "before": {
        "before.hope": "What are you hoping for from the next infusion?",
        "before.worry": "Is anything worrying you about it? Writing it down can help.",
        "before.carry": "What from the last infusion would you like to carry into the next one?",
        "before.ready": "What helps you feel ready and safe on an infusion day?",
    },
}
GRATITUDE_PROMPT_KEY: Final = "gratitude"
GRATITUDE_PROMPT: Final = "Three things, small or large, you are grateful for today."

JOURNAL_TITLE: Final = "Journal"
JOURNAL_EMPTY: Final = (
    "Nothing written yet. Press n to start a page; a prompt will be there if "
    "you would like one."
)
JOURNAL_NO_MATCH: Final = "Nothing matches. Try fewer words or clear a filter."
JOURNAL_EMPTY_NOT_SAVED: Final = "The entry is empty, so nothing was saved."
REPORT_VOICE: Final = "With a voice recording of {length} (kept in the journal, not in this report)."
REPORT_VOICE_BESIDE: Final = "With a voice recording of {length} (its file is in {folder}, beside this report)."
VOICE_NO_MICROPHONE: Final = "No microphone could be opened, so nothing is being recorded. Writing works as always."
VOICE_RECORDING: Final = "● Recording {length}  {meter}  F3 stops"
VOICE_RECORDED: Final = "Kept {length} of your voice. F5 listen · F4 to the trash · F3 record more"
VOICE_LISTENING: Final = "▶ Your voice {position} of {length} · ←/→ 5 s · Space pause · Esc or F5 stop"
VOICE_LISTEN_PAUSED: Final = "‖ Paused at {position} of {length} · Space go on · ←/→ 5 s · Esc or F5 stop"
VOICE_MOMENT_RECORDED: Final = "Kept {length} of your voice with this moment. F5 listen · F4 to the trash"
VOICE_STOPPED_FULL: Final = (
    "The disk is full, so the recording stopped. The {length} saved before it is kept; "
    "free some space to record more.")
VOICE_STOPPED_UNWRITABLE: Final = (
    "The journal cannot be written now, so the recording stopped. The {length} saved before it "
    "is kept.")
VOICE_NOT_STARTED: Final = (
    "The journal cannot be written now (is the disk full?), so nothing is being recorded.")
VOICE_LISTEN_STOPPED: Final = "Stopped. F5 listens again."
VOICE_LISTEN_ENDED: Final = "That was all of it. F5 listens again."
VOICE_INTERRUPTED_KEPT: Final = (
    "A recording was interrupted last time; the {length} saved of it is kept in your journal."
)
VOICE_DISCARDED: Final = "The recording went to the trash with nothing else changed."
VOICE_NOTE_TEXT: Final = "Voice note ({length})"
VOICE_NOTE_SAVED: Final = "Saved entry {id} with a voice recording of {length} ({size} stored in the journal)."
VOICE_NOTE_UNREADABLE: Final = "{name} could not be read as audio ({reason}); nothing was saved"
VOICE_NOTE_SILENT: Final = "{name} holds no sound; nothing was saved"
JOURNAL_VOICE_MARK: Final = "  [voice {length}]"
NOT_A_DATE: Final = "{value!r} is not a date like 2026-03-14."
JOURNAL_EMPTIED: Final = (
    "The entry is empty now, so it was moved to the trash. Its earlier text is "
    "kept there and can be restored."
)
JOURNAL_TOO_LONG: Final = "This entry is too long to save (the limit is {limit} characters)."
JOURNAL_DELETED: Final = "Moved to the trash. Press t to open the trash and restore it."
JOURNAL_RESTORED: Final = "Restored to the journal."
#: Asked before a guided answer or an intention goes to the trash.
JOURNAL_DELETE_GUIDED: Final = (
    "This is {what} from Infusion {number}. It belongs to that infusion's "
    "journal and to the report for your therapist.\n\n"
    "Move it to the trash? You can restore it from the trash (t)."
)
JOURNAL_DELETE_WHAT: Final = {
    "intention": "your intention",
    "integration": "your answer to “{prompt}”",
}
TRASH_INTRO: Final = (
    "Entries you moved out of the journal, voice recordings and infusions you discarded. "
    "Enter or r restores one."
)
TRASH_EMPTY: Final = "The trash is empty."
TRASH_INFUSION: Final = "An infusion discarded at {stage}. {written}"
TRASH_INFUSION_INTENTION: Final = "Intention: {text}"
TRASH_INFUSION_NOTHING: Final = "Nothing written for it."
TRASH_VOICE: Final = "A voice recording of {length}, {with_what}."
TRASH_VOICE_PAGE: Final = "with the page “{words}”"
TRASH_VOICE_MOMENT: Final = "with the moment marked at {at}"
TRASH_VOICE_ALONE: Final = "on its own"
TRASH_VOICE_RESTORED: Final = "The voice recording is back where it was."
TRASH_INFUSION_RESTORED: Final = "{place} is back, at {stage}. Enter on Home resumes it."
TRASH_INFUSION_BUSY: Final = (
    "{place} cannot come back while another infusion is in progress: finish "
    "or discard that one first."
)
TRASH_INFUSION_TAKEN: Final = (
    "{place} cannot come back: another infusion has taken its place in the "
    "series since it was discarded."
)
JOURNAL_TAGS_HINT: Final = "Tags, separated by commas"
JOURNAL_PRIVATE_HINT: Final = "Private: never exported unless you ask for it"

MOMENTS_TITLE: Final = "Moments you marked"
MOMENTS_NOTE_HINT: Final = "Write beside this moment, or F3 to speak"
MOMENT_VOICE_MARK: Final = "[voice {length}]"  # on the moment's row, under its time
TRACK_RATING_QUESTION: Final = "How did each track feel?"
#: How a track felt: key stored -> what the patient sees.
TRACK_RATINGS: Final = {
    "resonated": "resonated",
    "neutral": "neutral",
    "not_for_me": "not for me",
}
PLAYLIST_RATINGS_TITLE: Final = "How the tracks felt, across your infusions"
PLAYLIST_RATINGS_NOTE: Final = (
    "Your ratings, gathered from every infusion, to help choose the next "
    "playlist with your clinic."
)
PLAYLIST_RATINGS_EMPTY: Final = (
    "No tracks rated yet. After an infusion, rate each track in the "
    "infusion's journal."
)

CHECKIN_TITLE: Final = "Daily check-in"
CHECKIN_INTRO: Final = (
    "The clinic's questions, one a line: press the answer's number. "
    "Everything is saved as you go."
)
CHECKIN_WEEKS_TITLE: Final = "The last weeks"
CHECKIN_WEEKS_NOTE: Final = (
    "● the best answer · ◐ in between · ○ the lowest · · not answered. "
    "A tracking tool for you, not a score."
)

# --- Therapist export (issue 5) ---------------------------------------------

EXPORT_TITLE: Final = "Share with your therapist"
EXPORT_INTRO: Final = (
    "Choose what to share. Nothing is written until you press Export; private "
    "entries stay out unless you include them."
)
#: Parts of the record that can be left out: key -> how the preview names it.
#: The export's formats and what each is for (``companion export --help``, the Export screen).
EXPORT_FORMATS: Final = {
    "pdf": "a report to read or print",
    "html": "the report as one self-contained web page",
    "md": "the report as plain text (Markdown)",
    "json": "everything selected, lossless, for records or import",
    "csv": "ratings, check-ins and scores, one row per record",
}
EXPORT_FIELDS: Final = {
    "ratings": "the ratings before and after",
    "moments": "the marked moments",
    "side_effects": "the side effects",
    "therapy": "the therapy appointment",
    "checklist": "the preparation checklist",
    "music": "the playlist and music position",
    "tracks": "how the tracks felt",
    "checkins": "the daily check-ins",
    "scores": "the questionnaire scores",
}
EXPORT_FORMATS: Final = {
    "pdf": "PDF: a report to read or print",
    "html": "HTML: the same report as one web page",
    "md": "Markdown: the same report as plain text",
    "json": "JSON: everything selected, for records or to restore",
    "csv": "CSV: ratings, check-ins and scores for a spreadsheet",
}
EXPORT_PREVIEW_SHARED: Final = "Will share {infusions}, {entries}, {checkins} and {scores}"
EXPORT_PREVIEW_WITH: Final = "with {}."
EXPORT_PREVIEW_HISTORY: Final = "Earlier versions of entries are included."
EXPORT_PREVIEW_LEFT_OUT: Final = "Left out: "
EXPORT_ENTRIES_LABEL: Final = "Journal entries (untick to leave one out)"
EXPORT_ENTRIES_GREYED: Final = (
    "Ticked ones are shared. Greyed ones are left out by the dates, infusions, tags "
    "or the private box above."
)
EXPORT_OLDEST_FIRST: Final = "Oldest infusion first"
EXPORT_PREVIEW_REPORT: Final = "The report begins:"
EXPORT_PREVIEW_NOTHING_LEFT: Final = "Nothing in this range is left out."
EXPORT_LEFT_FIELD: Final = "{label}"
EXPORT_LEFT_REASON: Final = {
    "private": "{n} private {label}",
    "excluded": "{n} {label} you left out",
    "tags": "{n} {label} without the chosen tags",
}
EXPORT_PREVIEW_MISSING: Final = "No infusion numbered {} in this range."
EXPORT_PREVIEW_EMPTY: Final = "There is nothing to share with these choices."
EXPORT_WRITING: Final = "Writing the {format}… you can keep looking at your choices."
EXPORT_WRITTEN: Final = "Written: {path}\n{size:,} bytes, {records} records\nSHA-256 {sha}…"
EXPORT_PDF_PASSWORD_LABEL: Final = "A password for the PDF (it opens only with it; optional)"
EXPORT_PASSWORDS_DIFFER: Final = "the two PDF passwords differ; type the same one twice"
EXPORT_WRITE_FAILED: Final = "could not write the export: {problem}"
# The voice recordings' sound beside the report (issue 19).
EXPORT_INCLUDE_AUDIO: Final = "Include the voice recordings' sound"
EXPORT_INCLUDE_AUDIO_HINT: Final = "One FLAC file each, in a folder beside the report that only you can open."
EXPORT_AUDIO_FORMATS: Final = "the voice recordings can be written beside a PDF, HTML or Markdown report; the JSON carries them already"
EXPORT_AUDIO_EXISTS: Final = "{folder} exists already; choose another name or use --force to replace it"
EXPORT_AUDIO_FAILED: Final = "cannot write the voice recordings to {folder}: {problem}"
EXPORT_AUDIO_WRITTEN: Final = "Wrote {count} voice recording(s) to {folder} (only you can open it)."

REPORT_TITLE: Final = "Infusion journal: shared with my therapist"
REPORT_INTRO: Final = (
    "Written by the patient with companion and shared by their choice. "
    "Ratings and questionnaire scores are tracking tools, not a diagnosis."
)
REPORT_SELECTION: Final = "What this report covers"
REPORT_SUMMARY: Final = "Summary"
REPORT_SUMMARY_LATEST: Final = "Latest infusion: {label}, {day}."
REPORT_SUMMARY_NO_INFUSION: Final = "No infusion in the chosen range."
REPORT_SUMMARY_BRING: Final = "What I would like to bring to therapy"
REPORT_SUMMARY_NOTHING_TO_BRING: Final = "Nothing written for therapy in this range."
REPORT_SUMMARY_RATINGS: Final = "Ratings before and after each infusion (0 to 10)"
REPORT_SUMMARY_RATINGS_WHERE: Final = "each infusion below, under Ratings"
REPORT_SUMMARY_INFUSION: Final = "infusion"
REPORT_SUMMARY_CHANGE: Final = "change"
REPORT_SUMMARY_FIQR: Final = "FIQR (0 to 100, lower is less impact)"
REPORT_SUMMARY_FIQR_ONE: Final = "FIQR total {now:.1f} on {day}; one questionnaire so far, no change to show."
REPORT_SUMMARY_FIQR_LINE: Final = (
    "FIQR total {now:.1f} on {day}, against {baseline:.1f} on {first} (the first in range): "
    "a change of {change:+.1f}. {crossed}"
)
REPORT_SUMMARY_FIQR_WORSE: Final = (
    "A rise of at least {threshold:.1f} points counts as a meaningful worsening (14% of the first score, "
    "at least 8 points): this one does."
)
REPORT_SUMMARY_FIQR_BETTER: Final = (
    "A change of at least {threshold:.1f} points counts as meaningful (14% of the first score, "
    "at least 8 points): this fall is that large."
)
REPORT_SUMMARY_FIQR_WITHIN: Final = (
    "A change of at least {threshold:.1f} points counts as meaningful (14% of the first score, "
    "at least 8 points): this one is smaller."
)
REPORT_SUMMARY_PRACTICES: Final = "Daily practices over the last four weeks"
REPORT_SUMMARY_PRACTICE: Final = "{practice}: held on {held} of {answered} days answered"
REPORT_SEE: Final = "see {section}"
REPORT_SEE_PAGE: Final = "page {page}"
REPORT_INTENTION: Final = "Intention"
REPORT_RATINGS: Final = "Ratings (0 to 10)"
REPORT_RATINGS_BEFORE: Final = "before"
REPORT_RATINGS_AFTER: Final = "after"
REPORT_MOMENTS: Final = "Moments marked during the music"
REPORT_MOMENT_VOICE: Final = "(a voice note of {length}, kept in the journal)"
REPORT_JOURNAL: Final = "Journal"
REPORT_SIDE_EFFECTS: Final = "Side effects"
REPORT_NO_SIDE_EFFECTS: Final = "None recorded."
REPORT_URINARY_HEADING: Final = "URINARY SYMPTOMS REPORTED"
REPORT_URINARY: Final = f"{REPORT_URINARY_HEADING}. {URINARY_NOTICE}"
REPORT_URINARY_TOLD: Final = "The patient marked it as told to the clinic on {day}."
REPORT_URINARY_NOT_TOLD: Final = "Not marked as told to the clinic yet."
REPORT_URINARY_SUMMARY: Final = "Urinary symptoms were reported after infusion {numbers}."
REPORT_THERAPY: Final = "Therapy appointment"
REPORT_ENDED_EARLY: Final = "The music was ended early."
REPORT_NOT_COMPLETE: Final = "In progress (stage: {stage})."
REPORT_TRACKS: Final = "How the tracks felt"
REPORT_NOTES: Final = "Journal between infusions"
REPORT_CHECKINS: Final = "Daily check-ins"
REPORT_CHECKINS_DAY: Final = "day"
REPORT_SCORES: Final = "Questionnaires"
# Voice recordings (issue 19): the report's list of them, and the files beside it.
REPORT_RECORDINGS: Final = "Voice recordings"
REPORT_RECORDINGS_HEADER: Final = ("date", "length", "goes with")
REPORT_RECORDINGS_FILE: Final = "file"
REPORT_RECORDINGS_NOTE: Final = "The sound stays in the patient's journal; this report lists it."
REPORT_RECORDINGS_NOTE_FILES: Final = "The sound is in the folder {folder} beside this report, one FLAC file each."
REPORT_RECORDING_ENTRY: Final = "journal entry “{words}”"
REPORT_RECORDING_ENTRY_OF: Final = "journal entry “{words}” ({infusion})"
REPORT_RECORDING_ALONE: Final = "a voice note on its own"
REPORT_RECORDING_MOMENT: Final = "the moment marked at {at} ({infusion})"
REPORT_SCORES_HEADER: Final = ("date", "questionnaire", "score")
REPORT_SCORES_NOTE: Final = (
    "Tracking tools, not a diagnosis. FIQR: total 0 to 100, lower is less impact. "
    "ACR 2016 symptom tracker: widespread pain index (WPI) 0 to 19, symptom "
    "severity (SSS) 0 to 12, their sum (PDS) 0 to 31."
)
REPORT_TRENDS: Final = "Across the series"
REPORT_TREND_RATINGS: Final = "Pain, mood and anxiety after each infusion (0 to 10)"
REPORT_CHART_INFUSIONS: Final = "infusion (its number)"
REPORT_CHART_X_INFUSION: Final = "infusion"
REPORT_CHART_X_DATE: Final = "date"
REPORT_TREND_PAIN: Final = "Pain before and after each infusion (0 to 10)"
REPORT_TREND_SCORES: Final = "FIQR total (0 to 100, lower is less impact): a tracking tool, not a diagnosis"
REPORT_TREND_DOMAINS: Final = "FIQR domains (lower is less impact)"
REPORT_FIQR_DOMAINS: Final = {
    "function": "Function (0 to 30)",
    "overall": "Overall impact (0 to 20)",
    "symptoms": "Symptoms (0 to 50)",
}
REPORT_TREND_ACR: Final = (
    "ACR 2016 symptom tracker: WPI (0 to 19) and SSS (0 to 12), tracking only, not a diagnosis"
)
REPORT_FIQR_PARTLY: Final = "{answered} of {items} items answered"
REPORT_NO_TREND: Final = "Not enough records for a trend yet."
REPORT_PRIVATE: Final = "private"
REPORT_MISSING_GLYPH: Final = (
    "� marks a character this PDF's font cannot show; the HTML, Markdown and "
    "JSON exports keep it as written."
)
REPORT_MISSING_GLYPH_HERE: Final = (
    "(� above: a character this PDF's font cannot show; the HTML and Markdown keep it as written.)"
)
REPORT_FOOTER: Final = "Exported {when} · companion · {records} records"

# --- Outcome measures and the series (issue 6) -------------------------------
# Scores are tracking tools. The only suggestion the app ever makes is to talk
# to the clinic; whether and when a booster is given is the clinic's decision.

MEASURES_NOTE: Final = (
    "Questionnaire scores are tracking tools for you and your care team, "
    "not a diagnosis."
)
BOOSTER_SUGGESTION: Final = (
    "Your FIQR score has risen by a meaningful amount since the end of your "
    "infusion series. You may want to talk with your clinic about it; they "
    "decide whether and when a booster is right for you."
)
FIQR_DUE: Final = (
    "A FIQR questionnaire would be useful now (press f). It is always optional."
)
FIQR_DRAFT_WAITING: Final = "You have an unfinished FIQR questionnaire (press f to continue)."
FIQR_TITLE: Final = "FIQR: how fibromyalgia has affected you over the past 7 days"
FIQR_INTRO: Final = (
    "21 questions, each a whole number from 0 to 10. Answers are saved as you "
    "type; you can leave and finish later. Ctrl+S finishes, Escape closes."
)
FIQR_NOT_YET: Final = "The score appears once every question is answered."
FIQR_FINISHED: Final = "FIQR saved: total {total}."
FIQR_SAVE_UNSCORED: Final = (
    "{reason}\n\nSave it anyway? It will be kept, but not scored. "
    "Choose No to go back and keep it as a draft."
)
FIQR_SAVED_UNSCORED: Final = "FIQR saved. It has too many blanks to be scored."
FIQR_FIX_FIRST: Final = "One answer is not a number from 0 to 10; it is marked in red."
FIQR_DRAFT_KEPT: Final = "Kept as a draft. Press f on Home to continue."
FIQR_WORDING_PROBLEM: Final = "The clinic's FIQR wording could not be used ({problem}); showing the default."

ACR_TITLE: Final = "Body map and symptoms (ACR 2016, for tracking)"
ACR_INTRO: Final = (
    "Tick each area where you have had pain or tenderness in the past 7 days "
    "(Space ticks). Then answer the questions below. Ctrl+S finishes, Escape "
    "closes; answers are saved as you go."
)
#: The 19 body areas of the widespread pain index: key -> label.
ACR_AREA_LABELS: Final = {
    "jaw_left": "Jaw, left",
    "shoulder_left": "Shoulder, left",
    "upper_arm_left": "Upper arm, left",
    "lower_arm_left": "Lower arm, left",
    "jaw_right": "Jaw, right",
    "shoulder_right": "Shoulder, right",
    "upper_arm_right": "Upper arm, right",
    "lower_arm_right": "Lower arm, right",
    "hip_left": "Hip or buttock, left",
    "upper_leg_left": "Upper leg, left",
    "lower_leg_left": "Lower leg, left",
    "hip_right": "Hip or buttock, right",
    "upper_leg_right": "Upper leg, right",
    "lower_leg_right": "Lower leg, right",
    "neck": "Neck",
    "upper_back": "Upper back",
    "lower_back": "Lower back",
    "chest": "Chest",
    "abdomen": "Abdomen",
}
ACR_REGION_LABELS: Final = {
    "left_upper": "Left arm and shoulder",
    "right_upper": "Right arm and shoulder",
    "axial": "Neck, back and trunk",
    "left_lower": "Left hip and leg",
    "right_lower": "Right hip and leg",
}
#: Past 7 days, 0-3: key -> question.
ACR_SEVERITY: Final = {
    "fatigue": "Tiredness (fatigue)",
    "unrefreshed": "Waking up unrefreshed",
    "cognitive": "Trouble thinking or remembering",
}
ACR_SEVERITY_OPTIONS: Final = ("none", "mild", "moderate", "severe")
#: Past 6 months, no/yes: key -> question.
ACR_YES_NO: Final = {
    "headaches": "Headaches",
    "abdominal": "Lower belly pain or cramps",
    "depression": "Depression",
}
ACR_THREE_MONTHS: Final = "Symptoms for at least 3 months"
ACR_YES_NO_OPTIONS: Final = ("no", "yes")
ACR_UNANSWERED: Final = "Still to answer: {names}."
ACR_FINISHED: Final = "Saved: widespread pain index {wpi}, symptom severity {sss}."

PROGRESS_TITLE: Final = "Progress"
PROGRESS_NO_FIQR: Final = "No FIQR answered yet. Press f on Home to answer one."
PROGRESS_NO_RATINGS: Final = "No ratings yet: they are taken before and after each infusion."
PROGRESS_NO_ACR: Final = "No body map yet. Press a on Home to fill one in."
PROGRESS_NONE_SCORED: Final = "{count} answered but not scored; Numbers (n) says why."
PROGRESS_FIQR_CHANGE: Final = (
    "FIQR now {now:.1f} ({day}), against {baseline:.1f} at the first ({first}): "
    "a change of {change:+.1f}. {crossed}"
)
PROGRESS_FIQR_WORSE: Final = "A rise of {threshold:.1f} points or more counts as meaningful: this one is."
PROGRESS_FIQR_BETTER: Final = "A fall of {threshold:.1f} points or more counts as meaningful: this one is."
PROGRESS_FIQR_WITHIN: Final = "A change of {threshold:.1f} points or more counts as meaningful: this one is smaller."
SERIES_EMPTY: Final = "No infusions yet."
SERIES_NOTE: Final = (
    "Rest is counted in whole days without an infusion; the initiation series "
    "plan is 1 to 3 days between infusions. Boosters are timed by your clinic."
)

# --- Durability (issue 8): a damaged database, backups, saving problems ------

DAMAGED_TITLE: Final = "Your records could not be opened safely"
DAMAGED_UNCHANGED: Final = "The file has not been changed: {path}"
DAMAGED_OFFER: Final = (
    "The newest good copy is from {label}. Restoring it brings back everything "
    "saved until then; anything written after that moment is not in the copy. "
    "The damaged file is moved, unchanged, into {aside}, so nothing is thrown away."
)
DAMAGED_NEWER: Final = (
    "{count} entries were written or changed after that copy, the newest on {when}. "
    "Restoring hides them: they stay only in the damaged file kept aside."
)
DAMAGED_NEWER_NONE: Final = "No entry in the damaged file is newer than that copy."
DAMAGED_NEWER_UNKNOWN: Final = (
    "The damaged file cannot be read, so nobody can say how many entries were written "
    "after that copy; they would stay only in the damaged file kept aside."
)
DATABASE_MISSING: Final = (
    "The database file is missing, but there are copies of your records."
)
DAMAGED_NEWER_MISSING: Final = (
    "The journal file itself is gone, so this copy is the newest record of what was written."
)
BACKUP_BUSY: Final = (
    "The copy could not be made: another process kept the journal locked or kept changing it. "
    "Nothing was changed; try again in a moment."
)
RESTORE_IN_USE: Final = (
    "The journal is open in companion or another command; close it and restore again. "
    "Nothing was changed."
)
DAMAGED_NO_COPY: Final = (
    "No good copy was found in {folder}. Nothing has been changed. If you have a "
    "copy elsewhere, `companion restore FILE` puts it back; a clinic's IT person "
    "may be able to recover the damaged file."
)
DAMAGED_RESTORE: Final = "Restore the copy from {label}"
DAMAGED_QUIT: Final = "Quit without changing anything"
DAMAGED_CONFIRM: Final = "Restore the copy from {label}? The damaged file is kept aside, unchanged."
DAMAGED_RESTORED: Final = "Restored. The damaged file is kept in {aside}. Press Enter to open companion."
DAMAGED_FAILED: Final = "The copy could not be restored: {reason}"
DAMAGED_QUIT_LINE: Final = "nothing was changed; the damaged database is still at {path}"
UNSAVED_ON_QUIT: Final = (
    "Some of what you typed could not be saved yet (see the message above). "
    "Quit anyway and lose it, or stay while saving is retried?"
)
HOME_IS_A_FILE: Final = (
    "{path} is a file, not a folder, so companion cannot keep your journal in {home}. "
    "Set {source} to a folder."
)
WRITE_DISK_FULL: Final = "the disk is full"
WRITE_READ_ONLY: Final = "the database cannot be written (it or its folder is read-only)"
WRITE_HELD: Final = "another program is holding the database"
EXPORT_NOT_LOGGED: Final = (
    "the export is written, but it could not be added to `companion export --list`: {reason}."
)
RESTORE_TOO_DEEP: Final = "{path} is nested too deeply to be a companion export"
# `companion import` (issue 14): every row is checked by the app's own rules;
# a file with a bad row is refused whole, naming the first problems.
IMPORT_PROBLEM: Final = "{table} record {record}, {field}: {why}"
IMPORT_REFUSED: Final = "{name} was not imported, nothing was written: {problems}"
IMPORT_MORE_PROBLEMS: Final = " (and {count} more problems)"
IMPORT_CONTROL_CHARACTER: Final = "holds a control character, which the app never stores"
IMPORT_UNKNOWN_COLUMN: Final = "no column {column!r} in this companion"
IMPORT_NOT_BASE64: Final = "is not the sound of a voice recording (base64 text)"
IMPORT_NOT_FLAC: Final = "is not the sound of a voice recording (FLAC)"
IMPORT_DANGLING: Final = "points to {parent} record {value}, which the file does not hold"
IMPORT_SAME_KEY: Final = "is the same {key} as record {other} of the file"
IMPORT_NO_BACKUP: Final = "a copy of the journal could not be made first, so nothing was imported: {reason}"
IMPORT_DONE: Final = "Imported {name} into {home}: {added} added, {updated} updated, {unchanged} unchanged."
IMPORT_PREVIEW: Final = (
    "Importing {name} into {home} would add {added}, update {updated} and leave {unchanged} "
    "unchanged.\nNothing was written (this was a preview)."
)
IMPORT_TABLE_LINE: Final = "  {label}: {added} added, {updated} updated, {unchanged} unchanged"
IMPORT_BACKUP_MADE: Final = "A copy of the journal as it was before:\n  {path}"
IMPORT_NOTHING_NEW: Final = "This home holds everything in the file already; nothing was written."
DAMAGED_TEXT: Final = (
    "A text in the database is damaged (not readable as UTF-8) and cannot be shown."
)
# What a list shows in place of a damaged text, and what an edit of it says.
DAMAGED_VALUE: Final = "(damaged: this text cannot be read and is not shown)"
DAMAGED_ENTRY: Final = "(entry {id} is damaged: its text cannot be read and is not shown)"
DAMAGED_ENTRY_NOT_EDITED: Final = (
    "Entry {id} is damaged: its text cannot be read, so it cannot be changed. "
    "It can be moved to the trash; `companion backup --list` shows copies that may hold it whole."
)
DAMAGED_RECORDS: Final = (
    "some records are damaged and cannot be read: {records}. Nothing was written. "
    "`companion backup --list` shows the copies that could be restored."
)

# --- Privacy: encryption, passphrase, lock (issue 7) -------------------------

PRIVACY_TITLE: Final = "Privacy"
PRIVACY_ON: Final = "Your journal is encrypted. It opens only with your passphrase."
PRIVACY_OFF: Final = (
    "Your journal is not encrypted: anyone who can open your files can read it. "
    "You can protect it with a passphrase."
)
PRIVACY_PROTECTED: Final = (
    "Encrypted: everything in your journal database: infusions, intentions, journal "
    "entries and voice recordings, ratings, check-ins, questionnaires and scores, the search index, "
    "the list of exports, and the backup copies kept beside the journal.\n"
    "Not encrypted: your settings, the playlists, the music analysis cache, and "
    "the exports you write (a PDF can have a password of its own)."
)
PRIVACY_FORGOTTEN: Final = (
    "Keep your passphrase somewhere safe. Nobody can open the journal without it, "
    "not even the clinic: a forgotten passphrase cannot be recovered."
)
PRIVACY_TOO_SHORT: Final = "The passphrase needs at least {n} characters."
PRIVACY_CONTROL_CHARS: Final = "The passphrase cannot contain control characters."
PRIVACY_MISMATCH: Final = "The two passphrases are not the same; nothing was changed."
PRIVACY_WRONG: Final = "That passphrase does not open this journal."
PRIVACY_NEEDED: Final = (
    "This journal is encrypted: type its passphrase in a terminal, or turn on the "
    "system keyring with `companion keyring on`."
)
PRIVACY_IN_USE: Final = (
    "The journal is open in another companion window or command; close it and try again."
)
PRIVACY_CHECK_FAILED: Final = (
    "The new copy of the journal did not match the old one, so nothing was changed."
)
PRIVACY_FAILED: Final = "The change could not be made ({reason}); your journal is as it was."
PRIVACY_NO_DATABASE: Final = "There is no journal at {path} yet."
PRIVACY_UNREADABLE: Final = "The journal file could not be read ({reason})."
PRIVACY_UNLOCK_FAILED: Final = (
    "The passphrase could not be checked just now ({reason}); the journal stays locked. "
    "Please try again."
)
PRIVACY_ALREADY_ENCRYPTED: Final = "The journal is already encrypted."
PRIVACY_NOT_ENCRYPTED: Final = "The journal is not encrypted."
PRIVACY_NO_SQLCIPHER: Final = "Encryption needs the sqlcipher3 package, which is not installed."
PRIVACY_NO_KEYRING: Final = "No system keyring is available on this computer."
PRIVACY_KEYRING_FAILED: Final = "The system keyring could not be used ({reason})."
PRIVACY_ENCRYPTED_DONE: Final = "Your journal is now encrypted."
PRIVACY_CHANGED_DONE: Final = "The passphrase is changed."
PRIVACY_DECRYPTED_DONE: Final = "Encryption is off: your journal is a plain file again."
PRIVACY_DECRYPT_CONFIRM: Final = (
    "Turn encryption off? Anyone who can open your files will be able to read your journal."
)
PRIVACY_ENCRYPTED_NO_KEYRING: Final = (
    "{reason} The journal is encrypted, but its passphrase is not kept anywhere: "
    "you type it each time."
)
PRIVACY_KEYRING_ON: Final = "The passphrase is kept in the system keyring; you will not be asked for it."
PRIVACY_KEYRING_OFF: Final = "The passphrase is not kept anywhere; you type it each time."
PRIVACY_LOCK_TITLE: Final = "Locked"
PRIVACY_LOCK_PROMPT: Final = "The journal is locked. Type your passphrase to go on."
PRIVACY_LOCK_NEVER: Final = "The app does not lock by itself."
PRIVACY_LOCK_AFTER: Final = "The app locks after {n} minutes without a key pressed (never during the infusion)."
EXPORT_NOT_ENCRYPTED: Final = (
    "Your journal is encrypted, but the exported file will not be: keep it somewhere "
    "safe, or give the PDF a password."
)
EXPORT_PDF_PASSWORD: Final = "The PDF opens only with the password you gave it."
