#include "profileswatch.h"

#include <QPainter>
#include <QPixmap>

QIcon profileSwatch(const QColor &color, int size, bool crossed)
{
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(0, 0, 0, 90), 1));
    p.setBrush(color.isValid() ? QBrush(color) : QBrush(Qt::NoBrush));
    const QRectF box(1.5, 1.5, size - 3, size - 3);
    p.drawRoundedRect(box, 3, 3);
    if (!color.isValid() && crossed)
        p.drawLine(box.bottomLeft() + QPointF(2.5, -2.5), box.topRight() + QPointF(-2.5, 2.5));
    return QIcon(pm);
}
