// The console's colour schemes (--color-scheme): "light" is Fusion with its standard palette,
// "dark" Fusion with the console's dark palette, anything else ("system") leaves the style and
// palette the platform gave. Used by app/main.cpp and by the tests that make the README's
// light and dark screenshots in-process.
#pragma once

#include <QString>

void applyColorScheme(const QString &scheme);
