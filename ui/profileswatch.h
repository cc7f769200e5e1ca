// profileSwatch(): the small square that shows a profile's colour, the same in the toolbar's
// profile switcher, the Profiles list and the profile editor's colour buttons. An invalid colour
// (no colour chosen) is an empty outline; with `crossed`, an outline with a slash, as on the
// editor's "no colour" button. `size` is in device-independent pixels.
#pragma once

#include <QColor>
#include <QIcon>

QIcon profileSwatch(const QColor &color, int size = 16, bool crossed = false);
