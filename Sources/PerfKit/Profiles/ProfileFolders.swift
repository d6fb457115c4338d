public import Foundation

/// The measured-profile folders below a folder: bundle variant folders (holding `meta.yaml`) and Vidur model folders
/// (holding `mlp.csv`), so a command given a parent (an export's root, `profiles/measured/`) can name or read them.
public enum ProfileFolders {
    /// Every profile folder at or below `url`, sorted by path; a profile folder's own subfolders are not searched.
    public static func find(under url: URL) -> [URL] {
        let fileManager = FileManager.default
        if isProfile(url) { return [url] }
        let children = ((try? fileManager.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
        var found: [URL] = []
        for name in children where !name.hasPrefix(".") {
            let child = url.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard fileManager.fileExists(atPath: child.path, isDirectory: &isFolder), isFolder.boolValue else { continue }
            found += find(under: child)
        }
        return found
    }

    static func isProfile(_ url: URL) -> Bool {
        VidurReader.isVidurFolder(url) || FileManager.default.fileExists(atPath: url.appendingPathComponent("meta.yaml").path)
    }
}
