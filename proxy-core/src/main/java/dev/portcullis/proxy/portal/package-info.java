/** The routes portal: which routes a signed-in person may open, each route's policy deciding. */
package dev.portcullis.proxy.portal;
