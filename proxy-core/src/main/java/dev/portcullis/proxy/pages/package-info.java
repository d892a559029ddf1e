/**
 * The pages the proxy answers with itself (errors, sign-in problems, access denied, the user's own
 * page, signed out, the 401 for programs), in HTML for browsers and JSON for programs, all in the
 * one layout of {@link dev.portcullis.proxy.pages.PageLayout} with the headers of
 * {@link dev.portcullis.proxy.pages.PageResponse}.
 */
package dev.portcullis.proxy.pages;
