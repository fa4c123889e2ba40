/**
 * The one place where the versions inside Flotilla's images are pinned: the Debian suite of
 * the locally made base, the Node.js and npm it carries (Node 20, the project's engine), and
 * the recipe numbers that change a cache key when the way an image is made changes.
 */
export const imagePins = {
  debianSuite: "bookworm",
  node: "20.20.2",
  npm: "10.9.9",
  baseRecipe: 1,
  nodeImagesRecipe: 1,
} as const;

export type ImagePins = typeof imagePins;
