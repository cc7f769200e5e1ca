// What a screenshot looks like, in numbers, for tests only: its size, how many colours it holds (a
// blank or single-colour grab has one or two; a drawn window has hundreds, from text
// anti-aliasing), its background (the most frequent colour) and that colour's luminance
// (0 black .. 1 white, Rec. 709 weights on sRGB values), and the mean luminance of all pixels.
// countPixels() counts the pixels a predicate accepts (e.g. a selection's colour).
#pragma once

#include <QColor>
#include <QHash>
#include <QImage>
#include <QSize>
#include <QString>

#include <functional>

struct ImageStats
{
    QSize size;
    int colours = 0;
    QColor background;
    double backgroundLuminance = 0;
    double meanLuminance = 0;

    QString describe() const
    {
        return QStringLiteral("%1x%2, %3 colours, background %4 (luminance %5), mean luminance %6")
            .arg(size.width())
            .arg(size.height())
            .arg(colours)
            .arg(background.name())
            .arg(backgroundLuminance, 0, 'f', 2)
            .arg(meanLuminance, 0, 'f', 2);
    }
};

inline double luminance(const QColor &c)
{
    return 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF();
}

inline ImageStats imageStats(const QImage &image)
{
    ImageStats s;
    s.size = image.size();
    if (image.isNull())
        return s;
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    QHash<QRgb, int> counts;
    double sum = 0;
    for (int y = 0; y < rgb.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); ++x) {
            ++counts[line[x] | 0xff000000u];
            sum += luminance(QColor(line[x]));
        }
    }
    s.colours = int(counts.size());
    QRgb most = 0;
    int mostCount = -1;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        if (it.value() > mostCount) {
            most = it.key();
            mostCount = it.value();
        }
    }
    s.background = QColor(most);
    s.backgroundLuminance = luminance(s.background);
    s.meanLuminance = sum / (double(rgb.width()) * rgb.height());
    return s;
}

inline int countPixels(const QImage &image, const std::function<bool(const QColor &)> &accept)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    int n = 0;
    for (int y = 0; y < rgb.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); ++x)
            n += accept(QColor(line[x])) ? 1 : 0;
    }
    return n;
}
