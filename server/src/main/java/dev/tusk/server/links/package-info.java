/**
 * Signed upload links: a backend asks for a link ({@link dev.tusk.server.links.LinksHandler}), tusk
 * signs it ({@link dev.tusk.server.links.LinkSigner}), the upload made through it is held to what
 * the link declared ({@link dev.tusk.server.links.LinkUploads}), and its callback is POSTed when
 * the upload completes ({@link dev.tusk.server.links.CallbackSender}). Built and wired by {@link
 * dev.tusk.server.auth.Security}.
 */
package dev.tusk.server.links;
