// readFilesBelow(): every file below a folder (recursively, hidden ones included) that can be
// opened, with its content; for tests that check that no secret reached the disk.
#pragma once

#include <QByteArray>
#include <QDirIterator>
#include <QFile>
#include <QList>
#include <QString>

struct FileContent
{
    QString path;
    QByteArray content;
};

inline QList<FileContent> readFilesBelow(const QString &dir)
{
    QList<FileContent> files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (!f.open(QIODevice::ReadOnly))
            continue;
        files.append({ f.fileName(), f.readAll() });
    }
    return files;
}
