/**
 * What the platform signs for the one-command install, and the installer verifies with the key pasted in the
 * install command (bundle/install_clone.sh builds the same lines from the manifest's validated fields). Each
 * statement names what it is about, so a signature for one thing never verifies for another.
 */

export interface BundleFacts {
  cloneId: string;
  version: number;
  sha256: string;
  size: number;
}

export interface PackageFacts {
  /** The npm name: `aiclone-runtime`, `@aiclone/plugin-sdk`, `@aiclone/plugin-web`, … */
  name: string;
  version: string;
  sha256: string;
}

export const bundleStatement = ({ cloneId, version, sha256, size }: BundleFacts): string =>
  `aiclone-bundle-v1\n${cloneId}\n${version}\n${sha256}\n${size}\n`;

export const packageStatement = ({ name, version, sha256 }: PackageFacts): string =>
  `aiclone-package-v1\n${name}\n${version}\n${sha256}\n`;
