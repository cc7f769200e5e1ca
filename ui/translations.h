#pragma once
// The console's translations: the catalogues built from resources/translations/*.ts and
// embedded at :/i18n/ppg-console_<lang>.qm.

class QCoreApplication;
class QString;

// Installs on `app` the catalogue for the first of the system's UI languages that has one,
// else the English catalogue: English is the source language, but its plural forms ("1 day
// ago", "2 days ago") come from the English catalogue too. The translator is a child of `app`.
// Returns the loaded catalogue's path, or an empty string when none loaded (then the source
// texts show, with "(s)" plurals).
QString installConsoleTranslator(QCoreApplication &app);
